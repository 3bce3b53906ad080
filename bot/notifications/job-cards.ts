import { cardRefKey, type CardRef, type CardRefs } from '../../core/conversations/card-refs.js';
import type { ConversationReferences } from '../../core/conversations/conversation-references.js';
import type { Logger } from '../../core/logger.js';
import type { Actor } from '../../core/model/actor.js';
import type { Job } from '../../core/model/job.js';
import type { RunOptions } from '../../core/sync/job-runner.js';
import type { SyncRunResult } from '../../core/sync/outcome.js';
import type { Replier, Reply } from '../reply.js';
import type { TurnRequest } from '../turn.js';
import { card } from '../views/cards.js';
import type { BackgroundWork } from './background.js';
import type { CardDeliveries } from './deliveries.js';
import { referenceOf, type Proactive } from './proactive.js';

/** How long a finished job waits for its running card to be delivered before sending a new message. */
const DELIVERY_WAIT_MS = 10_000;

export interface BackgroundJobs {
  /**
   * Starts `run` and resolves as soon as its job exists, with the running card to answer with (the
   * invoke is answered at once). The job continues in the background; when it finishes, the running
   * card is updated in place with the result, or the result is sent as a new message if it cannot be.
   * A run refused before its job starts (unknown mapping, bad input) rejects here, as usual.
   */
  start(
    turn: TurnRequest,
    label: string,
    run: (options: RunOptions) => Promise<SyncRunResult>,
  ): Promise<Reply>;
}

export interface BackgroundJobsDeps {
  work: BackgroundWork;
  deliveries: CardDeliveries;
  cardRefs: Pick<CardRefs, 'list' | 'forget'>;
  conversations: Pick<ConversationReferences, 'get'>;
  /** Absent without an adapter (some tests): jobs still run, their cards are not updated. */
  proactive?: Proactive;
  replier: Pick<Replier, 'replaceCard' | 'send'>;
  /** The card that replaces the running one. */
  resultCard(result: SyncRunResult, label: string): Promise<Reply>;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  deliveryWaitMs?: number;
}

export function createBackgroundJobs(deps: BackgroundJobsDeps): BackgroundJobs {
  const { logger } = deps;

  /** Update one copy of the running card; replaceCard sends a new message when the update fails. */
  async function updateCopy(ref: CardRef, reply: Reply, proactive: Proactive): Promise<void> {
    const conversation = await deps.conversations.get(ref.conversationId);
    if (!conversation) {
      logger.warn({ conversationId: ref.conversationId }, 'no conversation reference: job card not updated');
      return;
    }
    await proactive(referenceOf(conversation), async (context) => {
      // The continued turn stands for the card's message, so the replier updates that message.
      context.activity.replyToId = ref.activityId;
      await deps.replier.replaceCard(context, reply);
    });
  }

  /** No remembered card (a client that gave no message id): the result goes to the conversation. */
  async function sendTo(actor: Actor, reply: Reply, proactive: Proactive): Promise<void> {
    const conversation = actor.conversationId ? await deps.conversations.get(actor.conversationId) : null;
    if (!conversation) {
      logger.warn({ conversationId: actor.conversationId }, 'no conversation reference: job result not sent');
      return;
    }
    await proactive(referenceOf(conversation), (context) => deps.replier.send(context, reply));
  }

  async function finished(key: string, actor: Actor, result: SyncRunResult, label: string): Promise<void> {
    await deps.deliveries.wait(key, deps.deliveryWaitMs ?? DELIVERY_WAIT_MS);
    const { job } = result;
    logger.info({ jobId: job.id, status: job.status, counters: job.counters }, 'background job finished');
    if (!deps.proactive) {
      logger.warn({ jobId: job.id }, 'no adapter for proactive messages: the running card is not updated');
      return;
    }
    const reply = await deps.resultCard(result, label);
    const refs = await deps.cardRefs.list(key);
    if (refs.length === 0) await sendTo(actor, reply, deps.proactive);
    for (const ref of refs) {
      try {
        await updateCopy(ref, reply, deps.proactive);
      } catch (err) {
        logger.error({ err, jobId: job.id, conversationId: ref.conversationId }, 'job card not updated');
      }
    }
    await deps.cardRefs.forget(key);
  }

  return {
    async start(turn, label, run) {
      let onStarted!: (job: Job) => void;
      const started = new Promise<Job>((resolve) => (onStarted = resolve));
      const running = run({ onStarted });
      // A run that fails before its job exists rejects `running` first: the user sees that refusal.
      const job = await Promise.race([started, running.then((r) => r.job)]);
      const key = cardRefKey('job', job.id);
      deps.deliveries.expect(key);
      deps.work.track(
        key,
        running.then((result) => finished(key, turn.actor, result, label)),
      );
      const note = 'Running… this card is updated with the counters when the job finishes.';
      return card(
        'jobRunning',
        {
          jobId: job.id,
          mapping: job.mapping,
          type: job.type,
          direction: label,
          startedAt: job.startedAt,
          startedBy: job.startedBy,
          note,
        },
        key,
      );
    },
  };
}

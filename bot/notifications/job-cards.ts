import { cardRefKey, type CardRefs } from '../../core/conversations/card-refs.js';
import type { Logger } from '../../core/logger.js';
import type { Actor } from '../../core/model/actor.js';
import type { Job } from '../../core/model/job.js';
import type { RunOptions } from '../../core/sync/job-runner.js';
import type { SyncRunResult } from '../../core/sync/outcome.js';
import type { Reply } from '../reply.js';
import type { TurnRequest } from '../turn.js';
import { runningCard } from '../views/job-running.js';
import type { BackgroundWork } from './background.js';
import type { CardDeliveries } from './deliveries.js';
import { NoConversationReference, type CardMessenger } from './messenger.js';
import type { ProgressTicker } from './progress-ticker.js';
import { showResult } from './progress.js';

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
  /**
   * The same for a job that is not a synchronization (Delete Couplings, import): `resultCard` replaces
   * its card. A run that ends without ever starting a job (an import with no row to write) is answered
   * with its result card at once.
   */
  startJob<R extends { job?: Job | undefined }>(
    turn: TurnRequest,
    label: string,
    run: (options: RunOptions) => Promise<R>,
    resultCard: (result: R) => Promise<Reply>,
    options?: StartJobOptions,
  ): Promise<Reply>;
}

export interface StartJobOptions {
  /** A job that ends within this many ms of starting answers with its result, not a running card. */
  answerWithinMs?: number;
}

export interface BackgroundJobsDeps {
  work: BackgroundWork;
  deliveries: CardDeliveries;
  cardRefs: Pick<CardRefs, 'list' | 'forget'>;
  /** Absent without an adapter (some tests): jobs still run, their cards are not updated. */
  messenger?: CardMessenger;
  /** Keeps the running card's counters moving while the job runs (with the messenger). */
  progress?: Pick<ProgressTicker, 'follow'>;
  /** The card that replaces the running one. */
  resultCard(result: SyncRunResult, label: string): Promise<Reply>;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  deliveryWaitMs?: number;
}

const noTicker = async (): Promise<void> => undefined;

/** The run's result when it ends within `ms` (a failure rejects as usual), undefined otherwise. */
async function endedWithin<R>(running: Promise<R>, ms: number): Promise<{ result: R } | undefined> {
  if (ms <= 0) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([running.then((result) => ({ result })), late]);
  } finally {
    clearTimeout(timer);
  }
}

export function createBackgroundJobs(deps: BackgroundJobsDeps): BackgroundJobs {
  const { logger } = deps;

  async function finished(key: string, actor: Actor, job: Job, result: () => Promise<Reply>): Promise<void> {
    await deps.deliveries.wait(key, deps.deliveryWaitMs ?? DELIVERY_WAIT_MS);
    logger.info({ jobId: job.id, status: job.status, counters: job.counters }, 'background job finished');
    const { messenger } = deps;
    if (!messenger) {
      logger.warn({ jobId: job.id }, 'no adapter for proactive messages: the running card is not updated');
      return;
    }
    const reply = await result();
    const copies = await deps.cardRefs.list(key);
    try {
      await showResult(messenger, { conversationId: actor.conversationId, copies }, [reply], (copy, err) => {
        const { conversationId } = copy;
        if (err instanceof NoConversationReference)
          logger.warn({ conversationId }, 'no conversation reference: job card not updated');
        else logger.error({ err, jobId: job.id, conversationId }, 'job card not updated');
      });
    } catch (e) {
      // No remembered card (a client that gave no message id) and no conversation to send it to.
      if (!(e instanceof NoConversationReference)) throw e;
      logger.warn({ conversationId: actor.conversationId }, 'no conversation reference: job result not sent');
    }
    await deps.cardRefs.forget(key);
  }

  async function startJob<R extends { job?: Job | undefined }>(
    turn: TurnRequest,
    label: string,
    run: (options: RunOptions) => Promise<R>,
    resultCard: (result: R) => Promise<Reply>,
    options: StartJobOptions = {},
  ): Promise<Reply> {
    let onStarted!: (job: Job) => void;
    const started = new Promise<Job>((resolve) => (onStarted = resolve));
    const running = run({ onStarted });
    // A run that fails before its job exists rejects `running` first: the user sees that refusal.
    const first = await Promise.race([
      started.then((job) => ({ job, ended: undefined })),
      running.then((r) => ({ job: r.job, ended: r })),
    ]);
    if (!first.job && first.ended) return resultCard(first.ended);
    const job = first.job as Job;
    const quick = await endedWithin(running, options.answerWithinMs ?? 0);
    if (quick) return resultCard(quick.result);
    const key = cardRefKey('job', job.id);
    deps.deliveries.expect(key);
    // The instance that runs the job keeps its card moving; the ticker stops before the result replaces it.
    const reply = runningCard(job, label, { rememberAs: key });
    const render = (now: Job) => runningCard(now, label);
    const stopProgress = deps.progress?.follow(key, job.id, render, render(job)) ?? noTicker;
    deps.work.track(
      key,
      running
        .finally(stopProgress)
        .then((result) => finished(key, turn.actor, result.job ?? job, () => resultCard(result))),
    );
    return reply;
  }

  return {
    start: (turn, label, run) => startJob(turn, label, run, (result) => deps.resultCard(result, label)),
    startJob,
  };
}

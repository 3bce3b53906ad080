import { cardRefKey } from '../../core/conversations/card-refs.js';
import type { ApplyHooks } from '../../core/match/apply-run.js';
import type { Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnRequest } from '../turn.js';
import { progressText } from '../views/job-running.js';
import { progressCard } from './match-cards.js';

export interface ApplyProgress {
  /** Handed to core's approval: tells which job applies it, once that job exists. */
  hooks: ApplyHooks;
  /** The progress card the click is answered with (the work outlasted the answer): from here on it moves. */
  card(): Reply;
  /** Stops the updates (waits for one in flight), so the result that replaces the card stays. */
  stop(): Promise<void>;
}

const idle = async (): Promise<void> => undefined;

/**
 * An approval's progress card counts the rows applied, "n of N records (p%)", through the running jobs'
 * one ticker (first after 2 s, then every 4 s, only on a change). The copy it updates is the clicked
 * card, and only once it was answered with the progress card: a quick approval shows its result alone.
 */
export function applyProgress(turn: TurnRequest, services: BotServices, line: string): ApplyProgress {
  const { progress, messenger } = services.match;
  const conversationId = turn.actor.conversationId;
  const activityId = turn.replyToId;
  const at = services.clock.now();
  const card = (more: { progress?: string } = {}) =>
    progressCard(services, turn.actor.name, 'Match-Based Coupling', line, { at, ...more });
  if (!progress || !messenger || !conversationId || !activityId) return { hooks: {}, card, stop: idle };
  let key: string | undefined;
  let onCard = false;
  let remembered: Promise<void> = Promise.resolve();
  let stopTicker = idle;
  const remember = () => {
    if (!key || !onCard) return;
    remembered = services.cardRefs.remember({ key, conversationId, activityId }).catch((err: unknown) => {
      turn.logger.warn({ err, key }, 'approval progress card not remembered: it shows only the result');
    });
  };
  return {
    hooks: {
      onStarted(jobId) {
        key = cardRefKey('matchApply', jobId);
        stopTicker = progress.follow(key, jobId, (job) => card({ progress: progressText(job) }));
        remember();
      },
    },
    card() {
      onCard = true;
      remember();
      return card();
    },
    async stop() {
      await stopTicker();
      await remembered;
      if (key) await services.cardRefs.forget(key).catch(() => 0);
    },
  };
}

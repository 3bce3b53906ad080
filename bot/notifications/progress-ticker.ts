import type { CardRefs } from '../../core/conversations/card-refs.js';
import type { JobRepository } from '../../core/jobs/job-repository.js';
import type { Logger } from '../../core/logger.js';
import type { Timers } from '../../core/scheduler/lease-scheduler.js';
import type { Job } from '../../core/model/job.js';
import type { Reply } from '../reply.js';
import type { CardMessenger } from './messenger.js';

/** A job's running card is first updated after this long: shorter jobs only ever show their result. */
export const PROGRESS_AFTER_MS = 2_000;
/** Then at most this long passes between two updates (Teams asks for no more than one per second or so). */
export const PROGRESS_EVERY_MS = 4_000;

/** The timers the ticker waits with: Node's (unref'd, so they never hold the process), or a test's. */
export const nodeTimers: Timers = {
  setTimeout: (run, ms) => setTimeout(run, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface ProgressTickerDeps {
  jobs: Pick<JobRepository, 'get'>;
  cardRefs: Pick<CardRefs, 'list'>;
  messenger: Pick<CardMessenger, 'updateInPlace'>;
  logger: Pick<Logger, 'warn' | 'error'>;
  timers?: Timers;
  afterMs?: number;
  everyMs?: number;
}

export interface ProgressTicker {
  /**
   * Keeps every known copy of the card remembered under `key` showing `render(job)` while the job runs:
   * first after `afterMs`, then every `everyMs`, and only when the card would change. One ticker per key
   * (a second `follow` returns the first one's stop). The returned stop resolves once no update is in
   * flight, so the result that replaces the card is never overwritten by a late tick. `sent` is the card
   * the copies show to begin with: the same card is not sent again.
   */
  follow(key: string, jobId: string, render: (job: Job) => Reply, sent?: Reply): () => Promise<void>;
  /** Tickers still running. */
  readonly size: number;
  /** Shutdown: stops every ticker and waits for their updates in flight. */
  stopAll(): Promise<void>;
}

interface Following {
  stop(): Promise<void>;
}

export function createProgressTicker(deps: ProgressTickerDeps): ProgressTicker {
  const timers = deps.timers ?? nodeTimers;
  const afterMs = deps.afterMs ?? PROGRESS_AFTER_MS;
  const everyMs = deps.everyMs ?? PROGRESS_EVERY_MS;
  const following = new Map<string, Following>();

  /**
   * One update of every copy; returns the card shown, or the one shown before when nothing was updated.
   * A copy that could not be updated once (`refused`) is not asked again: its result still replaces it.
   */
  async function update(key: string, reply: Reply, shown: string, refused: Set<string>): Promise<string> {
    const next = JSON.stringify(reply);
    if (next === shown) return shown;
    // Copies appear once the running card was delivered; until then there is nothing to update.
    const copies = (await deps.cardRefs.list(key)).filter((c) => !refused.has(c.activityId));
    let updated = false;
    for (const copy of copies) {
      const ok = await deps.messenger
        .updateInPlace(copy.conversationId, copy.activityId, reply)
        .catch((err: unknown) => {
          deps.logger.warn({ err, key }, 'progress update failed');
          return false;
        });
      if (ok) updated = true;
      else {
        refused.add(copy.activityId);
        deps.logger.warn({ key, conversationId: copy.conversationId }, 'progress not shown on a copy');
      }
    }
    return updated ? next : shown;
  }

  function follow(
    key: string,
    jobId: string,
    render: (job: Job) => Reply,
    sent?: Reply,
  ): () => Promise<void> {
    const known = following.get(key);
    if (known) return () => known.stop();
    let stopped = false;
    let timer: unknown;
    let inFlight: Promise<void> = Promise.resolve();
    let shown = sent ? JSON.stringify(sent) : '';
    const refused = new Set<string>();

    /** One look at the job; false once it ended (its result is on its way: nothing more to show). */
    const tick = async (): Promise<boolean> => {
      try {
        const job = await deps.jobs.get(jobId);
        if (!job || job.status !== 'Running') return false;
        // Being cancelled: the clicked copy says "Cancelling…" until the result replaces every copy.
        if (!job.cancelRequest) shown = await update(key, render(job), shown, refused);
      } catch (err) {
        deps.logger.error({ err, key }, 'job progress not updated');
      }
      return true;
    };
    const end = () => {
      stopped = true;
      timers.clearTimeout(timer);
      if (following.get(key) === entry) following.delete(key);
    };
    const schedule = (ms: number) => {
      if (stopped) return;
      timer = timers.setTimeout(() => {
        inFlight = tick().then((going) => (going ? schedule(everyMs) : end()));
      }, ms);
    };
    const entry: Following = {
      async stop() {
        end();
        await inFlight;
      },
    };
    following.set(key, entry);
    schedule(afterMs);
    return () => entry.stop();
  }

  return {
    follow,
    get size() {
      return following.size;
    },
    async stopAll() {
      await Promise.all([...following.values()].map((f) => f.stop()));
    },
  };
}

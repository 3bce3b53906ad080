import type { Logger } from '../logger.js';
import type { Job } from '../model/job.js';
import { SCHEDULER_ACTOR } from '../scheduler/sync-scheduler.js';
import type { SyncErrorRepository } from '../sync/sync-error-repository.js';
import type { RecurringDigest } from './recurring-digest.js';
import type { MappingHealth, ScheduleHealth } from './schedule-health.js';

/** A stalled mapping as managers read it: since when, and the last error anyone saw. */
export interface Stall extends MappingHealth {
  lastError: string | null;
}

export interface AlertWatchDeps {
  health: Pick<ScheduleHealth, 'claimStalls'>;
  claimDigest: () => Promise<RecurringDigest | null>;
  /** The mappings the schedule runs; none when scheduled synchronization is off. */
  scheduled: () => Promise<string[]>;
  /** This instance's start: time before it is not counted towards a stall. */
  watchingSince: Date;
  errors: Pick<SyncErrorRepository, 'listOpen'>;
  tellStalled(stall: Stall): Promise<void>;
  tellDigest(digest: RecurringDigest): Promise<void>;
  logger: Pick<Logger, 'error'>;
}

/**
 * What every instance looks at once a minute, beside the Interrupted-jobs sweep: mappings whose
 * schedule stalled, and the day's digest of records that loop. Each alert is claimed in the store
 * before it is told, so of several instances one tells it, once.
 */
export function createAlertWatch(d: AlertWatchDeps): () => Promise<void> {
  async function stalls(): Promise<void> {
    const claimed = await d.health.claimStalls(await d.scheduled(), d.watchingSince);
    for (const h of claimed) {
      const [latest] = h.lastError ? [] : await d.errors.listOpen({ mapping: h.mapping, limit: 1 });
      try {
        await d.tellStalled({ ...h, lastError: h.lastError ?? latest?.message ?? null });
      } catch (err) {
        d.logger.error({ err, mapping: h.mapping }, 'managers not told about a stalled schedule');
      }
    }
  }
  async function digest(): Promise<void> {
    const today = await d.claimDigest();
    if (!today) return;
    try {
      await d.tellDigest(today);
    } catch (err) {
      d.logger.error({ err, day: today.day }, 'managers not told the digest of recurring errors');
    }
  }
  return async () => {
    await stalls();
    await digest();
  };
}

/**
 * A scheduled run whose job made no progress (marked Interrupted, its managers told once by the stall
 * alert) leaves its mapping stalled: the next completed scheduled run is told as its recovery.
 */
export async function noteInterrupted(health: Pick<ScheduleHealth, 'markStalled'>, job: Job): Promise<void> {
  if (job.type === 'Synchronization' && job.startedBy === SCHEDULER_ACTOR.name) {
    await health.markStalled(job.mapping, job.message);
  }
}

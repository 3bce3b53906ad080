import type { Db } from 'mongodb';
import type { Logger } from '../logger.js';
import type { Job } from '../model/job.js';
import type { Clock } from '../ports/clock.js';
import type { LeaseScheduler, Timers } from './lease-scheduler.js';
import { createSyncScheduler, type SyncSchedulerDeps } from './sync-scheduler.js';
import type { SyncService } from '../sync/sync-service.js';

/**
 * A Running job without progress for this long (JOB_STALL_MINUTES, 5 by default) belongs to an
 * instance that stopped, or is stuck. Several instances share the store, so "Running at my start-up" is
 * not enough: another instance's live job commits a batch (and moves its lastActivityAt) far more often.
 */
export const STALE_JOB_MS = 5 * 60_000;
/** How often every instance looks for such jobs after start-up. */
const SWEEP_MS = 60_000;

export interface SyncRuntimeDeps {
  db: Db;
  clock: Clock;
  /** SYNC_INTERVAL_MINUTES; 0 turns scheduled synchronization off. */
  intervalMinutes: number;
  instanceId: string;
  sync: Pick<SyncService, 'synchronizeModified' | 'recoverInterrupted'>;
  mappings: SyncSchedulerDeps['mappings'];
  serving?: SyncSchedulerDeps['serving'];
  onUnavailable?: SyncSchedulerDeps['onUnavailable'];
  onRunFinished: (job: Job, newErrors: number) => Promise<void>;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  timers?: Timers;
  /** JOB_STALL_MINUTES in ms; STALE_JOB_MS unless said. */
  stallMs?: number;
  /** LEASE_SECONDS in ms: scheduler slots. */
  leaseMs?: number;
  /** Interrupted jobs whose managers are still to be told (each to one instance), and how to tell them. */
  stallAlerts?: { claim(): Promise<Job[]>; tell(job: Job): Promise<void> };
  /** Stalled schedules and the daily digest of recurring errors (core/alerts/alert-watch.ts). */
  watch?: () => Promise<void>;
}

export interface SyncRuntime {
  readonly scheduler: LeaseScheduler;
  /** Marks jobs left Running by a stopped instance as Interrupted, then starts the schedule. */
  start(): Promise<void>;
  /** Stops the schedule, waiting at most `timeoutMs` for a run in progress (it is marked Interrupted later). */
  stop(timeoutMs?: number): Promise<void>;
  /** One look for abandoned jobs; returns how many were marked Interrupted. */
  recover(): Promise<number>;
  /** One look for stalled schedules and the day's digest (every minute, after recover). */
  watch(): Promise<void>;
}

/** What runs beside the turns: the lease scheduler and the Interrupted-jobs sweep. */
export function createSyncRuntime(d: SyncRuntimeDeps): SyncRuntime {
  const scheduler = createSyncScheduler({
    db: d.db,
    clock: d.clock,
    intervalMinutes: d.intervalMinutes,
    instanceId: d.instanceId,
    sync: d.sync,
    mappings: d.mappings,
    ...(d.serving ? { serving: d.serving } : {}),
    ...(d.onUnavailable ? { onUnavailable: d.onUnavailable } : {}),
    onRunFinished: d.onRunFinished,
    logger: d.logger,
    ...(d.timers ? { timers: d.timers } : {}),
    ...(d.leaseMs ? { leaseMs: d.leaseMs } : {}),
  });
  let sweep: NodeJS.Timeout | undefined;

  async function recover(): Promise<number> {
    const olderThan = new Date(d.clock.now().getTime() - (d.stallMs ?? STALE_JOB_MS));
    const marked = await d.sync.recoverInterrupted({ olderThan });
    if (marked > 0) d.logger.warn({ marked }, 'jobs without progress marked Interrupted');
    // Whichever instance claims a job's alert tells the managers; the others never see it again.
    for (const job of (await d.stallAlerts?.claim()) ?? []) {
      try {
        await d.stallAlerts?.tell(job);
      } catch (err) {
        d.logger.error({ err, jobId: job.id }, 'managers not told about an interrupted job');
      }
    }
    return marked;
  }

  async function watch(): Promise<void> {
    try {
      await d.watch?.();
    } catch (err) {
      d.logger.error({ err }, 'looking for stalled schedules and recurring errors failed');
    }
  }

  return {
    scheduler,
    recover,
    watch,
    async start() {
      await recover();
      await watch();
      sweep = setInterval(() => {
        recover()
          .catch((err: unknown) => d.logger.error({ err }, 'looking for interrupted jobs failed'))
          .then(watch)
          .catch(() => undefined);
      }, SWEEP_MS);
      sweep.unref();
      scheduler.start();
      d.logger.info(
        { intervalMinutes: d.intervalMinutes },
        scheduler.enabled
          ? 'scheduled synchronization on'
          : 'scheduled synchronization off (SYNC_INTERVAL_MINUTES=0)',
      );
    },
    async stop(timeoutMs = 10_000) {
      clearInterval(sweep);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>(
        (resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)),
      );
      const outcome = await Promise.race([scheduler.stop().then(() => 'stopped' as const), timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout')
        d.logger.warn('a scheduled run was still going at shutdown; its job will be marked Interrupted');
    },
  };
}

import type { Db } from 'mongodb';
import type { Logger } from '../logger.js';
import type { Actor } from '../model/actor.js';
import type { Job } from '../model/job.js';
import type { Clock } from '../ports/clock.js';
import type { SyncService } from '../sync/sync-service.js';
import { inDependencyOrder } from '../mappings/dependency-order.js';
import { LeaseScheduler, type Timers } from './lease-scheduler.js';

/** Who scheduled runs are attributed to in jobs (startedBy) and errors. */
export const SCHEDULER_ACTOR: Actor = {
  id: 'coupling-assistant-scheduler',
  name: 'Scheduled synchronization',
};

export interface SyncSchedulerDeps {
  db: Db;
  clock: Clock;
  intervalMinutes: number;
  instanceId: string;
  sync: Pick<SyncService, 'synchronizeModified'>;
  mappings: { list(): Promise<Array<{ name: string; dependsOn?: readonly string[] }>> };
  onRunFinished?: (job: Job, errorsCount: number) => void | Promise<void>;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
  timers?: Timers;
  leaseMs?: number;
}

/** The composition root's one call: Synchronize Modified Records for every mapping, every interval. */
export function createSyncScheduler(d: SyncSchedulerDeps): LeaseScheduler {
  return new LeaseScheduler({
    db: d.db,
    clock: d.clock,
    intervalMinutes: d.intervalMinutes,
    instanceId: d.instanceId,
    // In dependency order (BC's Dependency Filter): what a record refers to is coupled before it runs.
    mappings: async () => inDependencyOrder(await d.mappings.list()).map((m) => m.name),
    run: (mapping) => d.sync.synchronizeModified(SCHEDULER_ACTOR, mapping),
    ...(d.onRunFinished ? { onRunFinished: d.onRunFinished } : {}),
    ...(d.logger ? { logger: d.logger } : {}),
    ...(d.timers ? { timers: d.timers } : {}),
    ...(d.leaseMs ? { leaseMs: d.leaseMs } : {}),
  });
}

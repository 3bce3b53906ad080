import type { Db } from 'mongodb';
import type { Logger } from '../logger.js';
import { availabilityOf, type ServingPorts } from '../mappings/availability.js';
import type { Actor } from '../model/actor.js';
import type { Job } from '../model/job.js';
import type { BcTable, DvTable } from '../model/tables.js';
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
  mappings: { list(): Promise<ScheduledMapping[]> };
  /** What the connectors serve: a mapping they cannot serve is skipped (its tables are never asked for). */
  serving?: ServingPorts;
  /** Told once per mapping for the life of this scheduler (one process start): managers hear it once. */
  onUnavailable?: (mapping: string, reason: string) => void | Promise<void>;
  onRunFinished?: (job: Job, errorsCount: number) => void | Promise<void>;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
  timers?: Timers;
  leaseMs?: number;
}

/** A stored mapping as the scheduler needs it; its tables tell whether this connection serves it. */
export interface ScheduledMapping {
  name: string;
  dependsOn?: readonly string[];
  bcTable?: BcTable;
  dvTable?: DvTable;
}

/** Whether this connection can serve the mapping's tables (a mapping without tables named is assumed served). */
export function availabilityFor(serving: ServingPorts | undefined, m: ScheduledMapping) {
  return serving && m.bcTable && m.dvTable
    ? availabilityOf(serving, { bcTable: m.bcTable, dvTable: m.dvTable })
    : { available: true as const };
}

/** The names of the mappings the schedule runs: those this connection serves. */
export async function scheduledNames(
  mappings: SyncSchedulerDeps['mappings'],
  serving?: ServingPorts,
): Promise<string[]> {
  return (await mappings.list()).filter((m) => availabilityFor(serving, m).available).map((m) => m.name);
}

/**
 * The mappings due this interval, in dependency order: those the connection can serve. A mapping it cannot serve is skipped
 * every interval, and reported the first time only — never an alert per interval.
 */
function servedMappings(d: SyncSchedulerDeps): () => Promise<string[]> {
  const told = new Set<string>();
  return async () => {
    const names: string[] = [];
    for (const m of inDependencyOrder(await d.mappings.list())) {
      const a = availabilityFor(d.serving, m);
      if (a.available) {
        names.push(m.name);
        continue;
      }
      if (told.has(m.name)) continue;
      told.add(m.name);
      d.logger?.warn({ mapping: m.name, reason: a.reason }, 'scheduled synchronization skips a mapping');
      try {
        await d.onUnavailable?.(m.name, a.reason);
      } catch (e) {
        d.logger?.warn({ err: e, mapping: m.name }, 'onUnavailable callback failed');
      }
    }
    return names;
  };
}

/** The composition root's one call: Synchronize Modified Records for every mapping, every interval. */
export function createSyncScheduler(d: SyncSchedulerDeps): LeaseScheduler {
  return new LeaseScheduler({
    db: d.db,
    clock: d.clock,
    intervalMinutes: d.intervalMinutes,
    instanceId: d.instanceId,
    // In dependency order (BC's Dependency Filter): what a record refers to is coupled before it runs;
    // a mapping the connection cannot serve is left out.
    mappings: servedMappings(d),
    run: (mapping) => d.sync.synchronizeModified(SCHEDULER_ACTOR, mapping),
    ...(d.onRunFinished ? { onRunFinished: d.onRunFinished } : {}),
    ...(d.logger ? { logger: d.logger } : {}),
    ...(d.timers ? { timers: d.timers } : {}),
    ...(d.leaseMs ? { leaseMs: d.leaseMs } : {}),
  });
}

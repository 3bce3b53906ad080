import type { Db } from 'mongodb';
import type { Config } from '../../core/config.js';
import { createAlertWatch } from '../../core/alerts/alert-watch.js';
import { createDigestClaim } from '../../core/alerts/recurring-digest.js';
import type { ScheduleHealth } from '../../core/alerts/schedule-health.js';
import type { Logger } from '../../core/logger.js';
import type { ServingPorts } from '../../core/mappings/availability.js';
import type { Clock } from '../../core/ports/clock.js';
import { scheduledNames, type SyncSchedulerDeps } from '../../core/scheduler/sync-scheduler.js';
import type { SyncErrorRepository } from '../../core/sync/sync-error-repository.js';
import { tellManagers, type ManagerAlertsDeps } from '../notifications/manager-alerts.js';
import { digestText, stalledText } from '../notifications/schedule-alerts.js';
import { textReply } from '../reply.js';

export interface AlertWatchOptions {
  db: Db;
  clock: Clock;
  config: Config;
  logger: Logger;
  health: ScheduleHealth;
  errors: SyncErrorRepository;
  mappings: SyncSchedulerDeps['mappings'];
  serving: ServingPorts;
  /** Who is told, and how (the same managers and messenger as the per-run alerts). */
  alerts: ManagerAlertsDeps;
}

/**
 * The runtime's once-a-minute look for stalled schedules and the day's digest of records that loop,
 * told to managers in plain text.
 */
export function composeAlertWatch(o: AlertWatchOptions): () => Promise<void> {
  const intervalMinutes = o.config.SYNC_INTERVAL_MINUTES;
  return createAlertWatch({
    health: o.health,
    claimDigest: createDigestClaim({ db: o.db, clock: o.clock, errors: o.errors }),
    scheduled: async () => (intervalMinutes > 0 ? scheduledNames(o.mappings, o.serving) : []),
    watchingSince: o.clock.now(),
    errors: o.errors,
    tellStalled: (stall) =>
      tellManagers(o.alerts, { mapping: stall.mapping }, async () =>
        textReply(stalledText(stall, intervalMinutes)),
      ),
    tellDigest: (digest) =>
      tellManagers(o.alerts, { digest: digest.day }, async () => textReply(digestText(digest))),
    logger: o.logger,
  });
}

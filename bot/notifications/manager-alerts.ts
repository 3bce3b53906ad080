import type { ConversationReferences } from '../../core/conversations/conversation-references.js';
import type { Logger } from '../../core/logger.js';
import type { Job } from '../../core/model/job.js';
import type { RecordResult } from '../../core/sync/outcome.js';
import type { SyncError } from '../../core/sync/sync-error-repository.js';
import { alertsOnItsOwn, type ScheduleHealth } from '../../core/alerts/schedule-health.js';
import { unavailableText } from '../../core/mappings/availability.js';
import { textReply, type Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import { syncResultCard } from '../views/sync-result.js';
import type { CardMessenger } from './messenger.js';
import { recoveredText } from './schedule-alerts.js';

export interface ManagerAlertsDeps {
  /** MANAGER_AAD_OBJECT_IDS: their personal chats with the bot get the message. */
  managerIds: readonly string[];
  conversations: Pick<ConversationReferences, 'listForUsers'>;
  /** Absent without an adapter (some tests): the run is logged, nobody is told. */
  messenger?: CardMessenger;
  errors: { listOpen(filter: { mapping?: string; limit?: number }): Promise<SyncError[]> };
  services: Pick<BotServices, 'bc' | 'mappings'>;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Scheduled runs' health: recovery after a stall, failures in a row (told once, then by the stall alert). */
  health?: Pick<ScheduleHealth, 'recordRun'>;
}

/** Errors the card lists; `errors <mapping>` shows them all, with their actions. */
const LISTED = 25;

const asResult = (e: SyncError): RecordResult => ({
  bcId: e.bcId,
  bcNumber: e.bcNumber,
  dvId: e.dvId,
  outcome: e.kind === 'conflict' ? 'Skipped' : 'Failed',
  changes: [],
  message: e.message,
});

function summary(job: Job, newErrors: number): string {
  const command = `errors ${job.mapping.toLowerCase()}`;
  if (job.status !== 'Finished') {
    return `Scheduled synchronization of ${job.mapping}: ${job.status}. ${job.message} Type status ${job.mapping.toLowerCase()} to see the jobs.`;
  }
  const errors = newErrors === 1 ? '1 new error' : `${newErrors} new errors`;
  return `Scheduled synchronization of ${job.mapping} left ${errors}. Type ${command} to retry them or choose which side wins.`;
}

/**
 * The scheduler's onRunFinished: when a scheduled run opened new errors, or failed after a run that did
 * not, every manager with a stored personal conversation gets a summary card. Errors that merely come
 * back are the daily digest's, later failures in a row the stalled-schedule alert's; a run that
 * completes after a stall is told as its recovery. A manager who cannot be reached is logged and the
 * others still get it; nothing here can fail the scheduler.
 */
export function createManagerAlerts(deps: ManagerAlertsDeps) {
  async function alertCard(job: Job, newErrors: number): Promise<Reply> {
    const open = newErrors > 0 ? await deps.errors.listOpen({ mapping: job.mapping, limit: 200 }) : [];
    const ofJob = open.filter((e) => e.jobId === job.id);
    const run = { job, records: ofJob.slice(0, LISTED).map(asResult), recordsOmitted: 0, newErrors };
    return syncResultCard(run, deps.services, {
      direction: `Synchronize Modified Records · ${job.direction}`,
      summary: summary(job, newErrors),
    });
  }

  return async function onRunFinished(job: Job, newErrors: number): Promise<void> {
    const health = deps.health
      ? await deps.health.recordRun(job)
      : { recovered: null, failuresInARow: job.status === 'Finished' ? 0 : 1 };
    if (health.recovered) {
      const text = recoveredText(health.recovered, job);
      await tellManagers(deps, { mapping: job.mapping }, async () => textReply(text));
    }
    if (!alertsOnItsOwn(job, newErrors, health.failuresInARow)) return;
    await tellManagers(deps, { jobId: job.id }, () => alertCard(job, newErrors));
  };
}

/**
 * The scheduler's onUnavailable: a mapping this connection cannot serve is skipped by every scheduled
 * run; managers hear it once (the scheduler asks once per mapping per start), with the reason.
 */
export function createUnavailableNotice(deps: ManagerAlertsDeps) {
  return async function onUnavailable(mapping: string, reason: string): Promise<void> {
    const text =
      `${unavailableText(mapping, reason)} Scheduled synchronization skips it, and commands on it say so. ` +
      'You hear this once after each start of Coupling Assistant.';
    await tellManagers(deps, { mapping }, async () => textReply(text));
  };
}

/** Every manager with a personal chat gets `reply`; one who cannot be reached is logged, the others still get it. */
export async function tellManagers(
  deps: Pick<ManagerAlertsDeps, 'managerIds' | 'conversations' | 'messenger' | 'logger'>,
  about: Record<string, string>,
  reply: () => Promise<Reply>,
): Promise<void> {
  const { messenger, logger } = deps;
  if (!messenger) {
    logger.warn(about, 'no adapter for proactive messages: managers not told');
    return;
  }
  // Entra ids are matched as configured and in lower case: Teams and admins do not always agree.
  const ids = [...new Set(deps.managerIds.flatMap((id) => [id.trim(), id.trim().toLowerCase()]))];
  const chats = await deps.conversations.listForUsers(ids);
  if (chats.length === 0) {
    logger.warn(about, 'no manager has a personal chat with the bot yet: nobody was told');
    return;
  }
  const message = await reply();
  for (const chat of chats) {
    try {
      await messenger.send(chat.conversationId, message);
    } catch (err) {
      logger.error({ err, ...about, conversationId: chat.conversationId }, 'manager not reached');
    }
  }
  logger.info({ ...about, managers: chats.length }, 'managers told');
}

/** What managers read about a job that stopped making progress. */
export function stallMessage(job: Job, stallMinutes: number): string {
  const at = `${job.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const rerun =
    job.type === 'Synchronization'
      ? ` Run it again with sync ${job.mapping.toLowerCase()} modified: what it already applied is not applied twice.`
      : ' Run it again to finish the rest.';
  return (
    `The ${job.type} job of ${job.mapping} started by ${job.startedBy} at ${at} made no progress for ` +
    `${stallMinutes} minutes and was marked Interrupted. Its counters (status ${job.mapping.toLowerCase()}) ` +
    `show what it did.${rerun}`
  );
}

/**
 * Tells every manager with a personal chat, once per job, that a job was marked Interrupted for
 * making no progress. The runtime calls it only for jobs whose alert it claimed (compare-and-set on
 * the job), so across instances each job is told about exactly once.
 */
export function createStallAlerts(
  deps: Pick<ManagerAlertsDeps, 'managerIds' | 'conversations' | 'messenger' | 'logger'> & {
    stallMinutes: number;
  },
) {
  return async function tell(job: Job): Promise<void> {
    await tellManagers(deps, { jobId: job.id, mapping: job.mapping }, async () =>
      textReply(stallMessage(job, deps.stallMinutes)),
    );
  };
}

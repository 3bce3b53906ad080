import { DomainError, ErrorCode } from '../errors.js';
import type { Actor } from '../model/actor.js';
import type { Job } from '../model/job.js';
import type { Roles } from '../roles.js';
import { JOURNAL_DAYS } from './journal-repository.js';

const DAY = 24 * 3600 * 1000;

/** Records a job touched: a Create New is one record (a row created and coupled), not two. */
export function recordsTouched(job: Job): number {
  const c = job.counters;
  return Math.max(c.coupled + c.uncoupled, c.inserted + c.modified + c.deleted);
}

const isStarter = (job: Job, actor: Actor): boolean =>
  job.startedById !== '' && job.startedById.toLowerCase() === actor.id.trim().toLowerCase();

/**
 * Who may undo a job: whoever started it when it changed one record; a manager always. Undoing a job
 * that changed several records, or someone else's, is a bulk change: a manager's decision.
 */
export function checkMayUndo(
  roles: Pick<Roles, 'isManager' | 'requireManager'>,
  job: Job,
  actor: Actor,
): void {
  if (roles.isManager(actor)) return;
  if (!isStarter(job, actor)) {
    throw new DomainError(
      ErrorCode.Forbidden,
      `Only ${job.startedBy || 'the person who started it'} or a manager can undo job ${job.id}. Nothing was changed.`,
    );
  }
  if (recordsTouched(job) > 1)
    roles.requireManager(
      actor,
      `undo a job that changed ${recordsTouched(job)} records (nothing was changed)`,
    );
}

/** A job that is still running, or older than the journals are kept, cannot be undone. */
export function checkUndoable(job: Job, now: Date): void {
  if (job.status === 'Running') {
    throw new DomainError(
      ErrorCode.InvalidInput,
      `Job ${job.id} is still running; wait for it to end (or cancel it), then undo it. Nothing was changed.`,
    );
  }
  const ended = job.finishedAt ?? job.startedAt;
  if (now.getTime() - ended.getTime() > JOURNAL_DAYS * DAY) {
    throw new DomainError(
      ErrorCode.Expired,
      `Job ${job.id} can no longer be undone (changes are kept ${JOURNAL_DAYS} days). Nothing was changed.`,
    );
  }
}

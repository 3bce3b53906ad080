import type { AuditSink } from '../coupling/deps.js';
import { DomainError, ErrorCode } from '../errors.js';
import { requireJobId } from '../jobs/job-control.js';
import { STALE_UNDO_MARK_MS, type JobRepository } from '../jobs/job-repository.js';
import type { RunLease, RunLocks } from '../jobs/run-lock.js';
import type { Actor } from '../model/actor.js';
import type { Job, JobCounters, JobType } from '../model/job.js';
import type { Clock } from '../ports/clock.js';
import type { Roles } from '../roles.js';
import { MAX_ENTRIES_PER_JOB, type UndoJournalStore } from './journal-repository.js';
import type { ReverseDeps } from './reverse.js';
import { asStoreUnavailable } from '../store/store-errors.js';
import { reverseJournal, UndoStopped, type UndoTally } from './undo-run.js';
import { checkMayUndo, checkUndoable } from './undo-rules.js';

/** "1 change undone", "3 changes undone". */
const changesUndone = (n: number): string => `${n} ${n === 1 ? 'change' : 'changes'} undone`;
export interface UndoDeps extends Omit<ReverseDeps, 'journal'> {
  jobs: Pick<
    JobRepository,
    | 'get'
    | 'start'
    | 'progress'
    | 'finish'
    | 'markUndone'
    | 'setUndoJob'
    | 'markPartlyUndone'
    | 'clearUndone'
    | 'recentUndoableStartedBy'
  >;
  journal: UndoJournalStore;
  roles: Pick<Roles, 'isManager' | 'requireManager'>;
  runLocks?: RunLocks;
  audit: AuditSink;
  clock: Clock;
}

const UNDOABLE: readonly JobType[] = ['Synchronization', 'Uncoupling', 'Coupling', 'Import', 'Undo'];

export type UndoAnswer =
  /** This request undid the job: the Undo job, what was undone and what was left with the reason. */
  | { kind: 'undone'; job: Job; undoJob: Job; undone: string[]; left: string[]; omitted: number }
  /** Someone had undone it already (job.undone says who, when and with which job). */
  | { kind: 'already'; job: Job };

export interface UndoService {
  undo(jobId: unknown, actor: Actor): Promise<UndoAnswer>;
  /** `undo last`: the actor's own most recent job that changed something and is not undone. */
  undoLast(actor: Actor): Promise<UndoAnswer>;
}

function couldNotStart(job: Job, e: unknown): Error {
  // The store's own "unreachable, nothing was changed" answer says it already.
  if (asStoreUnavailable(e) || e instanceof DomainError) return e as Error;
  return new DomainError(
    ErrorCode.Conflict,
    `The undo of job ${job.id} could not start (${(e as Error).message}). Nothing was changed; try again.`,
    { cause: e },
  );
}

const notFound = (id: string) =>
  new DomainError(ErrorCode.NotFound, `There is no job ${id}. Type status to see recent jobs and their ids.`);

export function createUndoService(deps: UndoDeps): UndoService {
  async function prepare(job: Job, actor: Actor): Promise<UndoAnswer | null> {
    checkMayUndo(deps.roles, job, actor);
    if (!(await mayUndoAgain(job))) return { kind: 'already', job };
    checkUndoable(job, deps.clock.now());
    if (await deps.journal.overflowed(job.id)) {
      throw new DomainError(
        ErrorCode.InvalidInput,
        `Job ${job.id} changed more than ${MAX_ENTRIES_PER_JOB} things, more than an undo keeps; it cannot be undone as a whole. Nothing was changed.`,
      );
    }
    if ((await deps.journal.count(job.id)) === 0) {
      throw new DomainError(
        ErrorCode.InvalidInput,
        `Job ${job.id} recorded no changes that can be undone (it changed nothing, or ran before undo existed). Nothing was changed.`,
      );
    }
    return null;
  }

  /** Not undone, or partly: an undo that stopped, left failures, or never got to start. */
  async function mayUndoAgain(job: Job): Promise<boolean> {
    const u = job.undone;
    if (!u || u.partly) return true;
    if (u.undoJobId === null) return deps.clock.now().getTime() - u.at.getTime() > STALE_UNDO_MARK_MS;
    const undoJob = await deps.jobs.get(u.undoJobId);
    if (undoJob?.status !== 'Failed' && undoJob?.status !== 'Interrupted') return false;
    // It stopped when the store could not take the partly mark (or the process died): note it now.
    await deps.jobs.markPartlyUndone(job.id, u.undoJobId);
    return true;
  }

  async function lockFor(job: Job, actor: Actor): Promise<RunLease | undefined> {
    // Reversing a synchronization while the mapping runs would race it: take the run lock like a run.
    if (job.type !== 'Synchronization' || !deps.runLocks) return undefined;
    return deps.runLocks.acquire(job.mapping, actor.name || actor.id);
  }

  async function run(job: Job, actor: Actor): Promise<UndoAnswer> {
    const early = await prepare(job, actor);
    if (early) return early;
    const mark = await deps.jobs.markUndone(job.id, { byId: actor.id, byName: actor.name || actor.id });
    if (!mark.won || !mark.job?.undone) return { kind: 'already', job: mark.job ?? job };
    const mine = mark.job.undone;
    let started: { undoJobId: string; lease: RunLease | undefined };
    try {
      started = await start(job, actor);
    } catch (e) {
      // No undo started under the mark: give it back (only if still ours), so trying again works.
      await deps.jobs.clearUndone(job.id, mine, job.undone).catch(() => undefined);
      throw couldNotStart(job, e);
    }
    try {
      return await reverseAll(job, actor, started.undoJobId);
    } finally {
      await started.lease?.release().catch(() => undefined);
    }
  }

  async function start(job: Job, actor: Actor) {
    const lease = await lockFor(job, actor);
    let undoJobId: string | undefined;
    try {
      undoJobId = await deps.jobs.start({
        mapping: job.mapping,
        type: 'Undo',
        direction: '',
        startedBy: actor.name || actor.id,
        startedById: actor.id,
        message: `Undo of job ${job.id}`,
      });
      await deps.jobs.setUndoJob(job.id, undoJobId);
      await lease?.attach(undoJobId);
      return { undoJobId, lease };
    } catch (e) {
      await lease?.release().catch(() => undefined);
      if (undoJobId) {
        const why = `Undo of job ${job.id} could not start: ${(e as Error).message}`;
        await deps.jobs.finish(undoJobId, 'Failed', why).catch(() => undefined);
      }
      throw e;
    }
  }

  async function reverseAll(job: Job, actor: Actor, undoJobId: string): Promise<UndoAnswer> {
    const runDeps = { ...deps, progress: (id: string, c: Partial<JobCounters>) => deps.jobs.progress(id, c) };
    let tally: UndoTally;
    try {
      tally = await reverseJournal(runDeps, job, undoJobId);
    } catch (e) {
      throw await stoppedMidway(job, undoJobId, e);
    }
    const { counters } = tally;
    const notUndone = counters.skipped + counters.failed;
    const summary =
      `Undo of job ${job.id} (${job.type} of ${job.mapping}): ` +
      `${changesUndone(counters.uncoupled + counters.coupled + counters.deleted + counters.modified)}` +
      (notUndone > 0 ? `, ${notUndone} could not be undone.` : '.') +
      (counters.failed > 0 ? ` Undo job ${job.id} again to retry the ${counters.failed} that failed.` : '');
    await deps.jobs.finish(undoJobId, 'Finished', summary);
    if (counters.failed > 0) await deps.jobs.markPartlyUndone(job.id, undoJobId);
    await deps.audit.record({
      actor,
      action: 'job.undo',
      mapping: job.mapping,
      subject: `job:${job.id}`,
      details: { undoJobId, counters },
    });
    const [after, undoJob] = await Promise.all([deps.jobs.get(job.id), deps.jobs.get(undoJobId)]);
    return { kind: 'undone', job: after ?? job, undoJob: undoJob as Job, ...tally };
  }

  /** The undo job ends Failed and the job shows it is partly undone (as far as the store still answers). */
  async function stoppedMidway(job: Job, undoJobId: string, e: unknown): Promise<DomainError> {
    const tally = e instanceof UndoStopped ? e.tally : null;
    const cause = e instanceof UndoStopped ? e.cause : e;
    const c = tally?.counters;
    const n = c ? c.uncoupled + c.coupled + c.deleted + c.modified : 0;
    const message =
      `Undo of job ${job.id} stopped after ${changesUndone(n)}: ${(cause as Error)?.message ?? String(cause)}. ` +
      `Job ${job.id} is partly undone; undo it again to reverse what is left.`;
    await deps.jobs.finish(undoJobId, 'Failed', message).catch(() => undefined);
    await deps.jobs.markPartlyUndone(job.id, undoJobId).catch(() => undefined);
    return asStoreUnavailable(cause) && n === 0
      ? new DomainError(ErrorCode.StoreUnavailable, message, { cause })
      : new DomainError(ErrorCode.Conflict, message, { cause });
  }

  return {
    async undo(jobId, actor) {
      const id = requireJobId(jobId, ' Nothing was changed.');
      const job = await deps.jobs.get(id);
      if (!job) throw notFound(id);
      return run(job, actor);
    },

    async undoLast(actor) {
      const recent = await deps.jobs.recentUndoableStartedBy(actor.id.trim().toLowerCase(), UNDOABLE);
      let job: Job | null = null;
      // The last job that changed something: a synchronization that found nothing to do is passed over.
      for (const candidate of recent) {
        if ((await deps.journal.count(candidate.id)) > 0) {
          job = candidate;
          break;
        }
      }
      if (!job) {
        throw new DomainError(
          ErrorCode.NotFound,
          'You have no job left to undo. Type status to see recent jobs; undo job <id> undoes one by its id.',
        );
      }
      return run(job, actor);
    },
  };
}

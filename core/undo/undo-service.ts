import type { AuditSink } from '../coupling/deps.js';
import { DomainError, ErrorCode } from '../errors.js';
import { JobId } from '../jobs/job-control.js';
import type { JobRepository } from '../jobs/job-repository.js';
import type { RunLease, RunLocks } from '../jobs/run-lock.js';
import type { Actor } from '../model/actor.js';
import { emptyCounters, type Job, type JobCounters, type JobType } from '../model/job.js';
import type { Clock } from '../ports/clock.js';
import type { Roles } from '../roles.js';
import { MAX_ENTRIES_PER_JOB, type UndoJournalStore } from './journal-repository.js';
import { reverse, type ReverseDeps, type Reversal } from './reverse.js';
import { checkMayUndo, checkUndoable } from './undo-rules.js';

export interface UndoDeps extends Omit<ReverseDeps, 'journal'> {
  jobs: Pick<
    JobRepository,
    | 'get'
    | 'start'
    | 'progress'
    | 'finish'
    | 'markUndone'
    | 'setUndoJob'
    | 'clearUndone'
    | 'recentUndoableStartedBy'
  >;
  journal: UndoJournalStore;
  roles: Pick<Roles, 'isManager' | 'requireManager'>;
  runLocks?: RunLocks;
  audit: AuditSink;
  clock: Clock;
}

/** Lines an answer lists; the rest are counted. */
const MAX_LINES = 40;
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

const notFound = (id: string) =>
  new DomainError(ErrorCode.NotFound, `There is no job ${id}. Type status to see recent jobs and their ids.`);

export function createUndoService(deps: UndoDeps): UndoService {
  async function prepare(job: Job, actor: Actor): Promise<UndoAnswer | null> {
    checkMayUndo(deps.roles, job, actor);
    if (job.undone) return { kind: 'already', job };
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

  async function lockFor(job: Job, actor: Actor): Promise<RunLease | undefined> {
    // Reversing a synchronization while the mapping runs would race it: take the run lock like a run.
    if (job.type !== 'Synchronization' || !deps.runLocks) return undefined;
    try {
      return await deps.runLocks.acquire(job.mapping, actor.name || actor.id);
    } catch (e) {
      await deps.jobs.clearUndone(job.id, actor.id);
      throw e;
    }
  }

  async function run(job: Job, actor: Actor): Promise<UndoAnswer> {
    const early = await prepare(job, actor);
    if (early) return early;
    const mark = await deps.jobs.markUndone(job.id, { byId: actor.id, byName: actor.name || actor.id });
    if (!mark.won) return { kind: 'already', job: mark.job ?? job };
    const lease = await lockFor(job, actor);
    try {
      return await reverseAll(job, actor, lease);
    } finally {
      await lease?.release().catch(() => undefined);
    }
  }

  async function reverseAll(job: Job, actor: Actor, lease: RunLease | undefined): Promise<UndoAnswer> {
    const undoJobId = await deps.jobs.start({
      mapping: job.mapping,
      type: 'Undo',
      direction: '',
      startedBy: actor.name || actor.id,
      startedById: actor.id,
      message: `Undo of job ${job.id}`,
    });
    await deps.jobs.setUndoJob(job.id, undoJobId);
    await lease?.attach(undoJobId);
    const counters = emptyCounters();
    const undone: string[] = [];
    const left: string[] = [];
    let omitted = 0;
    const reverseDeps: ReverseDeps = { ...deps, journal: deps.journal };
    try {
      for await (const page of deps.journal.read(job.id)) {
        const pageCounters: Partial<JobCounters> = {};
        for (const entry of page) {
          const r = await reverse(reverseDeps, undoJobId, job.id, entry).catch((e: unknown): Reversal => ({
            undone: false,
            line: `Not undone: ${(e as Error).message}`,
            counter: 'failed',
          }));
          if (!r) continue;
          // Partly undone (some fields restored, some changed since): counted as both, listed as left.
          for (const k of r.partly ? (['modified', 'skipped'] as const) : [r.counter]) {
            pageCounters[k] = (pageCounters[k] ?? 0) + 1;
            counters[k] += 1;
          }
          const list = r.undone && !r.partly ? undone : left;
          if (list.length < MAX_LINES) list.push(r.line);
          else omitted += 1;
        }
        await deps.jobs.progress(undoJobId, pageCounters);
      }
    } catch (e) {
      await deps.jobs.finish(undoJobId, 'Failed', `Undo of job ${job.id} stopped: ${(e as Error).message}`);
      throw e;
    }
    const notUndone = counters.skipped + counters.failed;
    const summary =
      `Undo of job ${job.id} (${job.type} of ${job.mapping}): ` +
      `${counters.uncoupled + counters.coupled + counters.deleted + counters.modified} changes undone` +
      (notUndone > 0 ? `, ${notUndone} could not be undone.` : '.');
    await deps.jobs.finish(undoJobId, 'Finished', summary);
    await deps.audit.record({
      actor,
      action: 'job.undo',
      mapping: job.mapping,
      subject: `job:${job.id}`,
      details: { undoJobId, counters },
    });
    const [after, undoJob] = await Promise.all([deps.jobs.get(job.id), deps.jobs.get(undoJobId)]);
    return { kind: 'undone', job: after ?? job, undoJob: undoJob as Job, undone, left, omitted };
  }

  return {
    async undo(jobId, actor) {
      const id = JobId.safeParse(jobId);
      if (!id.success) {
        throw new DomainError(
          ErrorCode.InvalidInput,
          'A job id looks like 3f2504e0-4f89-41d3-9a0c-0305e82c3301; type status to see recent jobs and their ids. Nothing was changed.',
        );
      }
      const job = await deps.jobs.get(id.data);
      if (!job) throw notFound(id.data);
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

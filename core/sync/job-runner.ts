import { isDomainError } from '../errors.js';
import type { Actor } from '../model/actor.js';
import type { Job } from '../model/job.js';
import type { DeletionConflictResolution, IntegrationTableMapping } from '../model/mapping.js';
import type { SyncDeps } from './deps.js';
import { LookupValues } from './lookups.js';
import { summarize, type SyncRunResult } from './outcome.js';
import type { PlanMode } from './plan.js';
import { ResultSink, type RunContext } from './run-context.js';

export interface RunOptions {
  /** Called once the job exists (the bot answers the invoke with a "running" card carrying its id). */
  onStarted?: (job: Job) => void;
}

export interface JobRequest extends RunOptions {
  actor: Actor;
  mapping: IntegrationTableMapping;
  direction: string;
  mode: PlanMode;
  reportOutsideFilter: boolean;
  keepAllResults: boolean;
  deletion?: DeletionConflictResolution;
  /** The mapping's run lock, told which job it is for once the job exists. */
  lock?: { attach(jobId: string): Promise<void> };
}

/** A person reads this in the job list: the stop reason, never a stack trace. */
function stopMessage(e: unknown): string {
  const why = isDomainError(e) ? e.message : 'an unexpected error (see the log)';
  return `The job stopped: ${why} Records synchronized before it stopped keep their changes; run it again to finish.`;
}

/**
 * Runs `body` as an Integration Synchronization Job: started, counters as batches commit, finished
 * with a summary — or Failed with the reason when something stops it. Never throws for a failed run:
 * the job says what happened, and the caller (bot, scheduler) reports it.
 */
export async function runAsJob(
  deps: SyncDeps,
  req: JobRequest,
  body: (ctx: RunContext) => Promise<void>,
): Promise<SyncRunResult> {
  const jobId = await deps.jobs.start({
    mapping: req.mapping.name,
    type: 'Synchronization',
    direction: req.direction,
    startedBy: req.actor.name,
  });
  await req.lock?.attach(jobId);
  const started = await deps.jobs.get(jobId);
  if (started && req.onStarted) {
    try {
      req.onStarted(started);
    } catch (e) {
      deps.logger?.warn({ err: e, jobId }, 'onStarted callback failed; the job runs anyway');
    }
  }
  const ctx: RunContext = {
    deps,
    mapping: req.mapping,
    jobId,
    actorName: req.actor.name,
    mode: req.mode,
    reportOutsideFilter: req.reportOutsideFilter,
    deletion: req.deletion ?? req.mapping.deletionConflictResolution,
    sink: new ResultSink(req.keepAllResults),
    done: new Set(),
    lookups: new LookupValues(deps),
  };
  let status: 'Finished' | 'Failed' = 'Finished';
  let message: string;
  try {
    await body(ctx);
    message = summarize(ctx.sink.counters);
  } catch (e) {
    status = 'Failed';
    message = stopMessage(e);
    deps.logger?.error({ err: e, jobId, mapping: req.mapping.name }, 'synchronization job stopped');
  }
  await deps.jobs.finish(jobId, status, message);
  const job = (await deps.jobs.get(jobId)) as Job;
  return { job, records: ctx.sink.records, recordsOmitted: ctx.sink.omitted, newErrors: ctx.sink.newErrors };
}

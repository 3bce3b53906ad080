import { isDomainError } from '../errors.js';
import { cancelledMessage, isJobCancelled } from '../jobs/job-cancel.js';
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
  /** Where results go; a preview gives one that also keeps examples. */
  sink?: ResultSink;
}

/** A person reads this in the job list: the stop reason, never a stack trace. */
function stopMessage(e: unknown): string {
  const why = isDomainError(e) ? e.message.trim() : 'an unexpected error (see the log)';
  // Connector messages do not all end a sentence; the next one must not run into them.
  const sentence = /[.!?]$/.test(why) ? why : `${why}.`;
  return `The job stopped: ${sentence} Records synchronized before it stopped keep their changes; run it again to finish.`;
}

/**
 * Runs `body` as an Integration Synchronization Job: started, counters as batches commit, finished
 * with a summary — or Failed with the reason when something stops it, or Cancelled (at a batch
 * boundary, what was applied kept and counted) when someone asked it to stop. Never throws for a failed run:
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
    startedById: req.actor.id,
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
    sink: req.sink ?? new ResultSink(req.keepAllResults),
    done: new Set(),
    lookups: new LookupValues(deps),
  };
  let status: 'Finished' | 'Failed' | 'Cancelled' = 'Finished';
  let message: string;
  try {
    await body(ctx);
    message = summarize(ctx.sink.counters);
  } catch (e) {
    if (isJobCancelled(e)) {
      status = 'Cancelled';
      const applied = Object.values(ctx.sink.counters).some((n) => n > 0);
      message = cancelledMessage(
        e.request,
        applied ? summarize(ctx.sink.counters) : 'Nothing had been applied yet.',
      );
      deps.logger?.info({ jobId, mapping: req.mapping.name }, 'synchronization job cancelled');
    } else {
      status = 'Failed';
      message = stopMessage(e);
      deps.logger?.error({ err: e, jobId, mapping: req.mapping.name }, 'synchronization job stopped');
    }
  }
  await deps.jobs.finish(jobId, status, message);
  const job = (await deps.jobs.get(jobId)) as Job;
  return { job, records: ctx.sink.records, recordsOmitted: ctx.sink.omitted, newErrors: ctx.sink.newErrors };
}

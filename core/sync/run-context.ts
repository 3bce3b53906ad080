import { DomainError, ErrorCode } from '../errors.js';
import { JobCancelled } from '../jobs/job-cancel.js';
import { examined } from '../jobs/job-progress.js';
import type { Coupling } from '../model/coupling.js';
import type { DeletionConflictResolution, IntegrationTableMapping } from '../model/mapping.js';
import { emptyCounters, type JobCounters } from '../model/job.js';
import type { BcRecord, DvRow } from '../model/record.js';
import type { SyncDeps } from './deps.js';
import type { LookupValues } from './lookups.js';
import { tally, type RecordResult } from './outcome.js';
import type { PlanMode } from './plan.js';
import type { SyncErrorInput } from './sync-error-repository.js';

/** A coupled record as read for a batch; a side is null when its record no longer exists. */
export interface WorkItem {
  coupling: Coupling;
  bc: BcRecord | null;
  dv: DvRow | null;
}

/** Everything one job run carries through its batches. */
export interface RunContext {
  deps: SyncDeps;
  mapping: IntegrationTableMapping;
  jobId: string;
  /** Who the changes are attributed to (coupledBy, resolvedBy). */
  actorName: string;
  mode: PlanMode;
  /** Synchronize Now reports coupled records outside the filters; whole-mapping runs leave them out like BC. */
  reportOutsideFilter: boolean;
  deletion: DeletionConflictResolution;
  sink: ResultSink;
  /** BC ids this run already examined, created or re-coupled: each is counted once. */
  done: Set<string>;
  /** Lookup values (Currency Code ↔ transactioncurrencyid) read so far, read ahead per batch. */
  lookups: LookupValues;
}

/** Collects per-record results, counters and new errors across a job's batches. */
export class ResultSink {
  readonly counters: JobCounters = emptyCounters();
  readonly records: RecordResult[] = [];
  omitted = 0;
  newErrors = 0;

  constructor(
    private readonly keepAll: boolean,
    private readonly cap = 500,
  ) {}

  add(results: readonly RecordResult[]): void {
    const c = tally(results);
    for (const k of Object.keys(c) as Array<keyof JobCounters>) this.counters[k] += c[k];
    for (const r of results) {
      if (!this.keepAll && r.outcome === 'Unchanged') continue;
      if (this.records.length < this.cap) this.records.push(r);
      else this.omitted += 1;
    }
  }
}

/**
 * Ends a batch: its results become job counters right away (so an interrupted job shows what it did),
 * its failures become Coupled Data Synchronization Errors, and records that now synchronized close theirs.
 * Throws JobCancelled when someone asked the job to stop (read back by the same counters write).
 */
export async function commitBatch(
  ctx: RunContext,
  results: readonly RecordResult[],
  errors: readonly SyncErrorInput[],
  succeededBcIds: readonly string[],
): Promise<void> {
  const { deps, mapping } = ctx;
  ctx.sink.newErrors += await deps.errors.recordMany(errors);
  await deps.errors.resolveFor(mapping.name, succeededBcIds, ctx.actorName, 'Synchronized');
  ctx.sink.add(results);
  const still = await deps.jobs.progress(ctx.jobId, tally(results));
  // This batch is written and counted: a boundary where stopping leaves nothing half-done.
  if (still.running && still.cancelRequest) throw new JobCancelled(still.cancelRequest);
  if (!still.running) {
    // Another instance declared this job Interrupted (no progress for too long): stop, do not race it.
    throw new DomainError(
      ErrorCode.StaleState,
      'The job was marked Interrupted while it was running; it stopped.',
    );
  }
}

/** Tells the job how many records it examines in all: those examined so far and `more` (its progress shows the share). */
export async function expectRecords(ctx: RunContext, more: number): Promise<void> {
  await ctx.deps.jobs.setTotal(ctx.jobId, examined(ctx.sink.counters) + more);
}

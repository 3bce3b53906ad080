import type { SyncStatePatch } from '../coupling/coupling-repository.js';
import type { Coupling } from '../model/coupling.js';
import { describeFilter, passesFilter } from '../model/filter.js';
import type { IntegrationTableMapping } from '../model/mapping.js';
import type { BcRecord, DvRow } from '../model/record.js';
import { snapshotMatches, snapshotOf } from './change-detection.js';
import { handleDeletions } from './deletions.js';
import type { RecordResult } from './outcome.js';
import { bothSidesRuns, mayBePingPong, pingPongError } from './ping-pong.js';
import { planRecord } from './plan.js';
import { commitBatch, type RunContext, type WorkItem } from './run-context.js';
import type { SyncErrorInput } from './sync-error-repository.js';
import { writeSide, type Pending } from './write-side.js';

interface Batch {
  results: RecordResult[];
  states: Array<{ mapping: string; bcId: string; patch: SyncStatePatch }>;
  errors: SyncErrorInput[];
  succeeded: string[];
}

export function outsideFilter(m: IntegrationTableMapping, bc: BcRecord, dv: DvRow): string | null {
  if (!passesFilter(bc.fields, m.tableFilter)) {
    return `${m.bcTable} ${bc.number} is outside the Table Filter of mapping ${m.name} (${describeFilter(m.tableFilter)}), so it is not synchronized.`;
  }
  if (!passesFilter(dv.fields, m.integrationTableFilter)) {
    return `The ${m.dvTable} coupled to ${m.bcTable} ${bc.number} is outside the Integration Table Filter of mapping ${m.name} (${describeFilter(m.integrationTableFilter)}), so it is not synchronized.`;
  }
  return null;
}

const resultOf = (
  c: Coupling,
  outcome: RecordResult['outcome'],
  extra: Partial<RecordResult> = {},
): RecordResult => ({
  bcId: c.bcId,
  bcNumber: c.bcNumber,
  dvId: c.dvId,
  outcome,
  changes: [],
  ...extra,
});

function fail(
  ctx: RunContext,
  b: Batch,
  c: Coupling,
  message: string,
  sides: Array<'bc' | 'dv'>,
  waitingFor: readonly string[] = [],
): void {
  const waiting = waitingFor.length > 0 ? waitingFor.join(', ') : null;
  b.results.push(resultOf(c, 'Failed', { message, ...(waiting ? { waitingFor: waiting } : {}) }));
  b.errors.push({
    mapping: c.mapping,
    bcId: c.bcId,
    bcNumber: c.bcNumber,
    dvId: c.dvId,
    kind: 'failure',
    message,
    jobId: ctx.jobId,
    waitingFor: waiting,
  });
  const patch: SyncStatePatch = { lastJobId: ctx.jobId };
  if (sides.includes('bc')) patch.lastSyncResultBc = 'Failure';
  if (sides.includes('dv')) patch.lastSyncResultDv = 'Failure';
  b.states.push({ mapping: c.mapping, bcId: c.bcId, patch });
}

/** Plans every record of the batch; returns what must be written. */
function planBatch(
  ctx: RunContext,
  items: readonly WorkItem[],
  b: Batch,
): { pending: Pending[]; deletions: WorkItem[] } {
  const pending: Pending[] = [];
  const deletions: WorkItem[] = [];
  for (const item of items) {
    const { coupling, bc, dv } = item;
    if (!bc || !dv) {
      deletions.push(item);
      continue;
    }
    const outside = outsideFilter(ctx.mapping, bc, dv);
    if (outside) {
      if (ctx.reportOutsideFilter) b.results.push(resultOf(coupling, 'Failed', { message: outside }));
      continue;
    }
    const plan = planRecord({ mapping: ctx.mapping, coupling, bc, dv, mode: ctx.mode, lookups: ctx.lookups });
    if (plan.kind === 'not-modified') continue;
    if (plan.kind === 'failed') fail(ctx, b, coupling, plan.message, plan.sides, plan.waitingFor);
    else if (plan.kind === 'conflict') {
      b.results.push(resultOf(coupling, 'Skipped', { message: plan.message }));
      b.errors.push({
        mapping: coupling.mapping,
        bcId: coupling.bcId,
        bcNumber: coupling.bcNumber,
        dvId: coupling.dvId,
        kind: 'conflict',
        message: plan.message,
        jobId: ctx.jobId,
      });
      b.states.push({
        mapping: coupling.mapping,
        bcId: coupling.bcId,
        patch: { skipped: true, lastJobId: ctx.jobId },
      });
    } else {
      const conflicts = plan.conflicts ? { conflicts: plan.conflicts } : {};
      pending.push({ coupling, bc, dv, toDv: plan.toDv, toBc: plan.toBc, ...conflicts });
    }
  }
  return { pending, deletions };
}

/** Stamps of the written sides become the coupling's last synchronized times: the next run does not echo them. */
function settle(ctx: RunContext, pending: readonly Pending[], b: Batch): void {
  for (const p of pending) {
    const c = p.coupling;
    if (p.error) {
      fail(ctx, b, c, p.error.message, [p.error.side]);
      continue;
    }
    const changes = [...p.toDv.changes, ...p.toBc.changes];
    // Notes (an owner left as it is) explain a write; an Unchanged record has nothing to explain.
    const notes = changes.length > 0 ? [...p.toDv.notes, ...p.toBc.notes] : [];
    b.results.push(
      resultOf(c, changes.length > 0 ? 'Modified' : 'Unchanged', {
        changes,
        ...(notes.length > 0 ? { message: notes.join(' ') } : {}),
      }),
    );
    const runs = bothSidesRuns(ctx, p);
    const pingPong = pingPongError(ctx, p, runs);
    if (pingPong) b.errors.push(pingPong);
    else if (mayHaveOpenError(c)) b.succeeded.push(c.bcId);
    const sameRuns = runs === (c.bothSidesRuns ?? 0);
    if (changes.length === 0 && sameRuns && inStep(c, p, ctx.mapping.fields)) continue;
    const patch: SyncStatePatch = {
      lastSyncedBcModifiedOn: p.bc.modifiedOn,
      lastSyncedDvModifiedOn: p.dv.modifiedOn,
      lastSyncResultBc: 'Success',
      lastSyncResultDv: 'Success',
      lastJobId: ctx.jobId,
      skipped: false,
      lastSyncedValues: snapshotOf(ctx.mapping.fields, p.bc.fields, p.dv.fields),
      // Written only around a ping-pong: other couplings keep the shape they always had.
      ...(runs > 0 || c.bothSidesRuns ? { bothSidesRuns: runs } : {}),
    };
    b.states.push({ mapping: c.mapping, bcId: c.bcId, patch });
  }
}

/** An Unchanged record whose coupling already says exactly this needs no write (full runs of big tables). */
function inStep(c: Coupling, p: Pending, fields: IntegrationTableMapping['fields']): boolean {
  return (
    c.lastSyncedBcModifiedOn?.getTime() === p.bc.modifiedOn.getTime() &&
    c.lastSyncedDvModifiedOn?.getTime() === p.dv.modifiedOn.getTime() &&
    c.lastSyncResultBc === 'Success' &&
    c.lastSyncResultDv === 'Success' &&
    !c.skipped &&
    snapshotMatches(c.lastSyncedValues, fields, p.bc.fields, p.dv.fields)
  );
}

/** Errors are opened only alongside a Skipped flag, a Failure result or a ping-pong: other couplings have none to close. */
const mayHaveOpenError = (c: Coupling): boolean =>
  c.skipped || c.lastSyncResultBc === 'Failure' || c.lastSyncResultDv === 'Failure' || mayBePingPong(c);

/** Results read in the order the records came (failures are found before writes, successes after). */
function inInputOrder(results: RecordResult[], items: readonly WorkItem[]): void {
  const at = new Map(items.map((it, i) => [it.coupling.bcId, i]));
  results.sort((x, y) => (at.get(x.bcId ?? '') ?? Infinity) - (at.get(y.bcId ?? '') ?? Infinity));
}

/**
 * Synchronizes one batch of coupled records: plan each, write each side in one batched call, record
 * the new sync state of every coupling, then commit counters and errors. Re-running a batch never
 * applies a change twice: patches set values, and values already equal are Unchanged.
 */
export async function syncCoupled(ctx: RunContext, items: readonly WorkItem[]): Promise<void> {
  const b: Batch = { results: [], states: [], errors: [], succeeded: [] };
  await ctx.lookups.prepare(ctx.mapping.fields, {
    bc: items.flatMap((i) => (i.bc ? [i.bc.fields] : [])),
    dv: items.flatMap((i) => (i.dv ? [i.dv.fields] : [])),
  });
  const { pending, deletions } = planBatch(ctx, items, b);
  await writeSide(ctx, 'dv', pending);
  await writeSide(ctx, 'bc', pending);
  settle(ctx, pending, b);
  await ctx.deps.couplings.setSyncStates(b.states);
  const deleted = await handleDeletions(ctx, deletions);
  inInputOrder(b.results, items);
  await commitBatch(
    ctx,
    [...b.results, ...deleted.results],
    [...b.errors, ...deleted.errors],
    [...b.succeeded, ...deleted.succeeded],
  );
}

import type { Coupling } from '../model/coupling.js';
import type { BcRecord, DvRow } from '../model/record.js';
import { snapshotOf } from './change-detection.js';
import { computePatch, type FieldChange } from './fields.js';
import { journalFieldWrites } from './journal-writes.js';
import type { RunContext } from './run-context.js';

/**
 * After a record was created from its partner, the partner may need the new record's one-way values
 * back (a customer created from an account gets its No. from BC's number series, and No. flows to
 * accountnumber). Writing them now leaves the pair in step, so the next run finds it Unchanged.
 */
export async function completePair(
  ctx: RunContext,
  bc: BcRecord,
  dv: DvRow,
  created: 'bc' | 'dv',
): Promise<{ bc: BcRecord; dv: DvRow; changes: FieldChange[] }> {
  const { deps, mapping, lookups } = ctx;
  // The new record may carry values of its own (a system default): read their lookups too.
  await lookups.prepare(mapping.fields, { bc: [bc.fields], dv: [dv.fields] });
  if (created === 'bc') {
    const back = computePatch(mapping.fields, 'ToIntegrationTable', bc.fields, dv.fields, { lookups });
    if (back.changes.length === 0 || back.errors.length > 0) return { bc, dv, changes: [] };
    await journalFieldWrites(ctx, 'dv', [
      { coupling: couplingOf(ctx, bc, dv), before: dv, fields: back.fields, number: bc.number },
    ]);
    const [r] = await deps.dv.updateMany(mapping.dvTable, [{ id: dv.id, fields: back.fields }]);
    return r?.ok ? { bc, dv: r.value, changes: back.changes } : { bc, dv, changes: [] };
  }
  const back = computePatch(mapping.fields, 'FromIntegrationTable', dv.fields, bc.fields, { lookups });
  if (back.changes.length === 0 || back.errors.length > 0) return { bc, dv, changes: [] };
  await journalFieldWrites(ctx, 'bc', [
    { coupling: couplingOf(ctx, bc, dv), before: bc, fields: back.fields, number: bc.number },
  ]);
  const [r] = await deps.bc.updateMany(mapping.bcTable, [{ id: bc.id, fields: back.fields }]);
  return r?.ok ? { bc: r.value, dv, changes: back.changes } : { bc, dv, changes: [] };
}

/** The pair has no coupling yet: its journalled state is "never synchronized". */
const couplingOf = (ctx: RunContext, bc: BcRecord, dv: DvRow): Coupling => newCoupling(ctx, bc, dv, false);

/**
 * The coupling a run creates (origin 'sync'). `synced`: the two records are in step now, so their
 * stamps and values become the last synchronization; otherwise the next run compares them afresh.
 */
export function newCoupling(ctx: RunContext, bc: BcRecord, dv: DvRow, synced: boolean): Coupling {
  return {
    mapping: ctx.mapping.name,
    bcId: bc.id,
    bcNumber: bc.number,
    dvId: dv.id,
    lastSyncedBcModifiedOn: synced ? bc.modifiedOn : null,
    lastSyncedDvModifiedOn: synced ? dv.modifiedOn : null,
    lastSyncResultBc: synced ? 'Success' : null,
    lastSyncResultDv: synced ? 'Success' : null,
    lastJobId: ctx.jobId,
    skipped: false,
    coupledAt: ctx.deps.clock.now(),
    coupledBy: ctx.actorName,
    origin: 'sync',
    ...(synced ? { lastSyncedValues: snapshotOf(ctx.mapping.fields, bc.fields, dv.fields) } : {}),
  };
}

import { randomUUID } from 'node:crypto';
import type { Coupling } from '../model/coupling.js';
import { flowsToBusinessCentral, flowsToDataverse } from '../model/mapping.js';
import type { BcRecord, DvRow } from '../model/record.js';
import { valuesImpliedByFilter } from '../mappings/filter-defaults.js';
import { deletionConflictsCommand } from '../mappings/setting-commands.js';
import type { WorkItem } from './run-context.js';
import { existingPartner } from './existing-partner.js';
import { computePatch } from './fields.js';
import { completePair, newCoupling } from './pair.js';
import type { RecordResult } from './outcome.js';
import { journalCoupled, journalCreated, journalCreates, journalUncoupled } from './journal-writes.js';
import type { RunContext } from './run-context.js';
import type { SyncErrorInput } from './sync-error-repository.js';

export interface DeletionOutcome {
  results: RecordResult[];
  errors: SyncErrorInput[];
  /** BC ids whose open errors are settled (the coupling was removed or restored). */
  succeeded: string[];
}

const base = (c: Coupling) => ({ bcId: c.bcId, bcNumber: c.bcNumber, dvId: c.dvId, changes: [] });

/** "The account coupled to Customer 10000 was deleted in Dataverse" */
function gone(ctx: RunContext, c: Coupling, missing: 'bc' | 'dv'): string {
  const m = ctx.mapping;
  return missing === 'dv'
    ? `The ${m.dvTable} coupled to ${m.bcTable} ${c.bcNumber} was deleted in Dataverse`
    : `${m.bcTable} ${c.bcNumber} (coupled to ${m.dvTable} ${c.dvId}) was deleted in Business Central`;
}

/** What a deletion conflict looks like to a person, with the ways out. */
const deletedMessage = (ctx: RunContext, c: Coupling, missing: 'bc' | 'dv'): string =>
  `${gone(ctx, c, missing)}. Choose Restore Records, Delete Coupling or Delete Records ` +
  `(or set Resolve Deletion Conflicts on mapping ${ctx.mapping.name}: ${deletionConflictsCommand(ctx.mapping)}).`;

/**
 * Recreates the missing partner from the surviving record and couples the two (Restore Records).
 * The new coupling replaces the old one: delete first, since a BC record has one coupling per mapping.
 */
async function restore(
  ctx: RunContext,
  c: Coupling,
  bc: BcRecord | null,
  dv: DvRow | null,
): Promise<RecordResult> {
  const { deps, mapping } = ctx;
  const toDv = dv === null;
  if (toDv ? !flowsToDataverse(mapping.direction) : !flowsToBusinessCentral(mapping.direction)) {
    const where = toDv ? 'to Dataverse' : 'to Business Central';
    return {
      ...base(c),
      outcome: 'Failed',
      message: `Restore Records cannot recreate it: mapping ${mapping.name} does not synchronize ${where}.`,
    };
  }
  const { lookups } = ctx;
  const patch = toDv
    ? computePatch(mapping.fields, 'ToIntegrationTable', (bc as BcRecord).fields, null, { lookups })
    : computePatch(mapping.fields, 'FromIntegrationTable', (dv as DvRow).fields, null, { lookups });
  if (patch.errors.length > 0) return { ...base(c), outcome: 'Failed', message: patch.errors.join(' ') };
  if (!toDv) {
    // Business Central gives no id of ours to a new record, so a restore that stopped after creating
    // it is found by the record it left: the same number or name, inside the filter and uncoupled.
    const earlier = await existingPartner(ctx, 'FromIntegrationTable', dv as DvRow, patch);
    if (earlier) return restoredEarlier(ctx, c, dv as DvRow, earlier);
  }
  const implied = valuesImpliedByFilter(toDv ? mapping.integrationTableFilter : mapping.tableFilter);
  const fields = { ...implied, ...patch.fields };
  // Toward Dataverse the new row's id is reserved first: a restore that stopped half-way finds it.
  const reserved = toDv
    ? await deps.couplings.reserveCreate(mapping.name, c.bcId, randomUUID(), deps.clock.now())
    : null;
  if (reserved) await journalCreates(ctx, 'dv', [{ id: reserved, number: c.bcNumber }]);
  const [created] = reserved
    ? await deps.dv.createMany(mapping.dvTable, [fields], [reserved])
    : await deps.bc.createMany(mapping.bcTable, [fields]);
  if (created?.ok) {
    const row = created.value;
    if (reserved) await journalCreated(ctx, 'dv', [row]);
    else await journalCreates(ctx, 'bc', [{ id: row.id, number: c.bcNumber, modifiedOn: row.modifiedOn }]);
  }
  if (!created || !created.ok) {
    return {
      ...base(c),
      outcome: 'Failed',
      message: `Restore Records failed: ${created?.error ?? 'no answer'}`,
    };
  }
  const pair = await completePair(
    ctx,
    toDv ? (bc as BcRecord) : (created.value as BcRecord),
    toDv ? (created.value as DvRow) : (dv as DvRow),
    toDv ? 'dv' : 'bc',
  );
  const { bc: newBc, dv: newDv } = pair;
  const coupling = newCoupling(ctx, newBc, newDv, true);
  await journalUncoupled(ctx, [c]);
  await journalCoupled(ctx, [coupling]);
  await deps.couplings.deleteByBcId(mapping.name, c.bcId);
  const coupled = await deps.couplings.insert(coupling);
  if (toDv) await deps.couplings.releaseCreate(mapping.name, c.bcId);
  ctx.done.add(newBc.id);
  const res = {
    bcId: newBc.id,
    bcNumber: newBc.number,
    dvId: newDv.id,
    changes: [...patch.changes, ...pair.changes],
  };
  if (!coupled)
    return {
      ...res,
      outcome: 'Failed',
      message: 'The record was restored but could not be coupled: it is already coupled.',
    };
  return {
    ...res,
    outcome: 'Inserted',
    coupled: true,
    message: `Restored in ${toDv ? 'Dataverse' : 'Business Central'} and coupled again.`,
  };
}

/**
 * Restore Records toward Business Central found an uncoupled record that already looks like the
 * Dataverse row. The same number is the record an earlier restore created: couple it. Only the same
 * name may be someone else's record: create nothing and say how to go on.
 */
async function restoredEarlier(
  ctx: RunContext,
  c: Coupling,
  dv: DvRow,
  earlier: { id: string; sameNumber: boolean },
): Promise<RecordResult> {
  const { deps, mapping } = ctx;
  const bc = earlier.sameNumber ? await deps.bc.getById(mapping.bcTable, earlier.id) : null;
  if (!bc) {
    return {
      ...base(c),
      outcome: 'Failed',
      message:
        `Restore Records did not create a ${mapping.bcTable}: ${mapping.bcTable} ${earlier.id} in Business ` +
        `Central already looks like this ${mapping.dvTable} and is not coupled. Couple it (Set Up Coupling) ` +
        `or delete it, then choose Restore Records again.`,
    };
  }
  // Coupled without a last synchronization: the next run compares both sides and shows any difference.
  const coupling = newCoupling(ctx, bc, dv, false);
  await journalUncoupled(ctx, [c]);
  await journalCoupled(ctx, [coupling]);
  await deps.couplings.deleteByBcId(mapping.name, c.bcId);
  const coupled = await deps.couplings.insert(coupling);
  ctx.done.add(bc.id);
  const res = { bcId: bc.id, bcNumber: bc.number, dvId: dv.id, changes: [] };
  return coupled
    ? { ...res, outcome: 'Coupled', coupled: true, message: 'Found in Business Central and coupled again.' }
    : {
        ...res,
        outcome: 'Failed',
        message: 'The record was found but could not be coupled: it is already coupled.',
      };
}

/**
 * Deletion conflicts (domain.md §3): a coupled record whose partner is gone. Restore Records recreates
 * the partner; Remove Coupling deletes the coupling (Uncoupled); None fails it and lists it as an error.
 * When both records are gone there is nothing to keep: the coupling is removed.
 */
export async function handleDeletions(ctx: RunContext, items: readonly WorkItem[]): Promise<DeletionOutcome> {
  const out: DeletionOutcome = { results: [], errors: [], succeeded: [] };
  const { deps, mapping } = ctx;
  for (const { coupling: c, bc, dv } of items) {
    const missing: 'bc' | 'dv' = bc === null ? 'bc' : 'dv';
    const deletionError = (message: string): DeletionOutcome['errors'][number] => ({
      mapping: mapping.name,
      bcId: c.bcId,
      bcNumber: c.bcNumber,
      dvId: c.dvId,
      kind: 'deletion',
      missingSide: missing,
      message,
      jobId: ctx.jobId,
    });
    if ((bc === null && dv === null) || ctx.deletion === 'Remove Coupling') {
      await journalUncoupled(ctx, [c]);
      await deps.couplings.deleteByBcId(mapping.name, c.bcId);
      const why = bc === null && dv === null ? 'Both records were deleted' : gone(ctx, c, missing);
      out.results.push({ ...base(c), outcome: 'Uncoupled', message: `${why}; the coupling was removed.` });
      out.succeeded.push(c.bcId);
      continue;
    }
    if (ctx.deletion === 'Restore Records') {
      const r = await restore(ctx, c, bc, dv);
      out.results.push(r);
      if (r.outcome === 'Inserted') out.succeeded.push(c.bcId);
      else out.errors.push(deletionError(r.message ?? ''));
      continue;
    }
    const message = deletedMessage(ctx, c, missing);
    // Marked as a failure on the coupling, so a later success knows there is an error to close.
    const patch =
      missing === 'dv' ? { lastSyncResultDv: 'Failure' as const } : { lastSyncResultBc: 'Failure' as const };
    await deps.couplings.setSyncStates([
      { mapping: mapping.name, bcId: c.bcId, patch: { ...patch, lastJobId: ctx.jobId } },
    ]);
    out.results.push({ ...base(c), outcome: 'Failed', message });
    out.errors.push(deletionError(message));
  }
  return out;
}

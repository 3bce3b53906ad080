import { randomUUID } from 'node:crypto';
import { valuesImpliedByFilter } from '../mappings/filter-defaults.js';
import type { Coupling } from '../model/coupling.js';
import type { Fields } from '../model/record.js';
import type { Patch } from '../sync/fields.js';
import { newRecordPatches } from '../sync/new-record-patch.js';
import { originOf, result, targetOf, type PageContext, type Todo } from './apply-context.js';
import { recheckCouplings, recheckDataverseRows } from './apply-recheck.js';
import type { RowPage, RowResult } from './run-documents.js';

export type { PageContext } from './apply-context.js';

/**
 * Create New rows: the Dataverse row is created from the BC record (the mapping's fields toward
 * Dataverse, plus the values the Integration Table Filter implies: company id, type code) and its id is
 * saved on the stored row before coupling, so a resumed run couples it instead of creating it again.
 */
async function createMissing(
  ctx: PageContext,
  page: RowPage,
  todo: Todo[],
  results: Map<number, RowResult>,
): Promise<number> {
  const { deps, mapping } = ctx;
  const pending = todo.filter(
    (t) => t.row.outcome.kind === 'wouldCreate' && t.dvId === null && !results.has(t.index),
  );
  if (pending.length === 0) return 0;
  const records = new Map(
    (
      await deps.bc.getManyByIds(
        mapping.bcTable,
        pending.map((t) => t.row.outcome.bc.id),
      )
    ).map((r) => [r.id, r]),
  );
  const implied = valuesImpliedByFilter(mapping.integrationTableFilter);
  const toCreate: Array<{ t: Todo; fields: Fields }> = [];
  // Lookups (Currency Code → transactioncurrencyid) go through the related mapping's couplings.
  const found = [...records.values()];
  const patches = await newRecordPatches(
    deps,
    mapping,
    'ToIntegrationTable',
    found.map((r) => r.fields),
  );
  const patchOf = new Map(found.map((r, i) => [r.id, patches[i] as Patch]));
  for (const t of pending) {
    const record = records.get(t.row.outcome.bc.id);
    if (!record) {
      results.set(
        t.index,
        result(
          'failed',
          `${mapping.bcTable} ${t.row.outcome.bc.number} no longer exists in Business Central.`,
        ),
      );
      continue;
    }
    const patch = patchOf.get(record.id) as Patch;
    if (patch.errors.length > 0) results.set(t.index, result('failed', patch.errors.join(' ')));
    else toCreate.push({ t, fields: { ...patch.fields, ...implied } });
  }
  if (toCreate.length === 0) return 0;
  // Each new row's id is reserved before the request: a resumed or repeated approval finds the row.
  const at = deps.clock.now();
  const ids = await Promise.all(
    toCreate.map((c) => deps.couplings.reserveCreate(mapping.name, c.t.row.outcome.bc.id, randomUUID(), at)),
  );
  await deps.journal?.record(
    ctx.jobId,
    toCreate.map((c, i) => ({
      kind: 'rowCreated',
      system: 'dv',
      table: mapping.dvTable,
      id: ids[i] as string,
      modifiedOn: null,
      label: `${mapping.dvTable} ${ids[i] as string} (created for ${mapping.bcTable} ${c.t.row.outcome.bc.number})`,
    })),
  );
  const written = await deps.dv.createMany(
    mapping.dvTable,
    toCreate.map((c) => c.fields),
    ids,
  );
  await deps.journal?.created(
    ctx.jobId,
    'dv',
    written.flatMap((w) => (w.ok ? [{ id: w.value.id, modifiedOn: w.value.modifiedOn }] : [])),
  );
  const created = new Map<number, string>();
  written.forEach((w, i) => {
    const { t } = toCreate[i] as { t: Todo };
    if (w.ok) {
      created.set(t.index, w.value.id);
      t.dvId = w.value.id;
      t.row.createdDvId = w.value.id;
    } else results.set(t.index, result('failed', `Dataverse refused to create the row: ${w.error}`));
  });
  await deps.runs.saveCreated(ctx.run.id, page.page, created);
  return created.size;
}

function couplingFor(ctx: PageContext, t: Todo, now: Date): Coupling {
  return {
    mapping: ctx.mapping.name,
    bcId: t.row.outcome.bc.id,
    bcNumber: t.row.outcome.bc.number,
    dvId: t.dvId as string,
    lastSyncedBcModifiedOn: null,
    lastSyncedDvModifiedOn: null,
    lastSyncResultBc: null,
    lastSyncResultDv: null,
    lastJobId: ctx.jobId,
    skipped: false,
    coupledAt: now,
    coupledBy: ctx.actor.name,
    origin: originOf(ctx),
  };
}

/** Applies the approved rows of one stored page; returns each handled row's result and rows created. */
export async function applyPage(
  ctx: PageContext,
  page: RowPage,
): Promise<{ results: Map<number, RowResult>; created: number }> {
  const results = new Map<number, RowResult>();
  const todo: Todo[] = page.rows
    .map((row, index) => ({ index, row, dvId: targetOf(row) }))
    .filter(
      ({ row }) => (row.outcome.kind === 'proposed' || row.outcome.kind === 'wouldCreate') && !row.result,
    )
    .filter(({ row }) => ctx.selected === null || ctx.selected.has(row.rowId));
  if (todo.length === 0) return { results, created: 0 };
  await recheckCouplings(ctx, todo, results);
  await recheckDataverseRows(ctx, todo, results);
  // A Create New row whose record a manager already coupled to a near match is not created as well.
  for (const t of todo) {
    const near = t.row.nearApproved;
    if (near)
      results.set(t.index, result('skipped', `Coupled to its near match ${near.dvName} by ${near.by.name}.`));
  }
  const created = await createMissing(ctx, page, todo, results);
  const ready = todo.filter((t) => !results.has(t.index) && t.dvId !== null);
  const now = ctx.deps.clock.now();
  await ctx.deps.journal?.record(
    ctx.jobId,
    ready.map((t) => ({
      kind: 'couplingAdded',
      mapping: ctx.mapping.name,
      bcId: t.row.outcome.bc.id,
      bcNumber: t.row.outcome.bc.number,
      dvId: t.dvId as string,
    })),
  );
  const inserted = await ctx.deps.couplings.bulkInsert(ready.map((t) => couplingFor(ctx, t, now)));
  await Promise.all(
    ready
      .filter((t) => t.row.outcome.kind === 'wouldCreate')
      .map((t) => ctx.deps.couplings.releaseCreate(ctx.mapping.name, t.row.outcome.bc.id)),
  );
  const lost: Todo[] = [];
  inserted.forEach((r, i) => {
    const t = ready[i] as Todo;
    if (r.ok) results.set(t.index, result('coupled', 'Coupled.', t.dvId));
    else lost.push(t);
  });
  // The unique index refused them: someone coupled one side between the re-check and the insert.
  if (lost.length > 0) await recheckCouplings(ctx, lost, results);
  for (const t of lost) {
    const r = results.get(t.index) ?? result('skipped', 'Coupled meanwhile.');
    const orphan = t.row.outcome.kind === 'wouldCreate' && r.status !== 'coupled';
    results.set(
      t.index,
      orphan
        ? { ...r, reason: `${r.reason} The ${ctx.mapping.dvTable} ${t.dvId} created for it stays uncoupled.` }
        : r,
    );
  }
  return { results, created };
}

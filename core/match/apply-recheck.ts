import { passesFilter } from '../model/filter.js';
import { originOf, result, type PageContext, type Todo } from './apply-context.js';
import type { RowResult } from './run-documents.js';

/**
 * Re-checks just before coupling (domain.md §4: "re-checked just before coupling"): either side coupled
 * meanwhile → skipped and the reason says to what. A coupling written by this very run (origin
 * match:<runId>) is its own earlier write before a crash: it counts as coupled, so resuming is idempotent.
 */
export async function recheckCouplings(
  ctx: PageContext,
  todo: Todo[],
  results: Map<number, RowResult>,
): Promise<void> {
  const { deps, mapping } = ctx;
  const origin = originOf(ctx);
  const dvIds = todo.map((t) => t.dvId).filter((d): d is string => d !== null);
  const [byBc, byDv] = await Promise.all([
    deps.couplings.getManyByBcIds(
      mapping.name,
      todo.map((t) => t.row.outcome.bc.id),
    ),
    deps.couplings.getManyByDvIds(mapping.name, dvIds),
  ]);
  const bcMap = new Map(byBc.map((c) => [c.bcId, c]));
  const dvMap = new Map(byDv.map((c) => [c.dvId, c]));
  for (const t of todo) {
    const bc = bcMap.get(t.row.outcome.bc.id);
    const dv = t.dvId === null ? undefined : dvMap.get(t.dvId);
    if (bc && bc.dvId === t.dvId && bc.origin === origin)
      results.set(t.index, result('coupled', 'Coupled.', bc.dvId));
    else if (bc && bc.dvId === t.dvId)
      results.set(t.index, result('skipped', `Coupled meanwhile, as proposed (${bc.origin}).`));
    else if (bc)
      results.set(t.index, result('skipped', `Coupled meanwhile to ${mapping.dvTable} ${bc.dvId}.`));
    else if (dv)
      results.set(
        t.index,
        result(
          'skipped',
          `${mapping.dvTable} ${dv.dvId} was coupled meanwhile to ${mapping.bcTable} ${dv.bcNumber}.`,
        ),
      );
  }
}

/** A proposed Dataverse row deleted or moved out of the Integration Table Filter since the proposal. */
export async function recheckDataverseRows(
  ctx: PageContext,
  todo: Todo[],
  results: Map<number, RowResult>,
): Promise<void> {
  const { deps, mapping } = ctx;
  const ids = todo
    .filter((t) => t.row.outcome.kind === 'proposed' && t.dvId !== null)
    .map((t) => t.dvId as string);
  if (ids.length === 0) return;
  const rows = new Map((await deps.dv.getMany(mapping.dvTable, ids)).map((r) => [r.id, r]));
  for (const t of todo) {
    if (t.row.outcome.kind !== 'proposed' || t.dvId === null) continue;
    const row = rows.get(t.dvId);
    if (!row)
      results.set(t.index, result('skipped', `${mapping.dvTable} ${t.dvId} no longer exists in Dataverse.`));
    else if (!passesFilter(row.fields, mapping.integrationTableFilter)) {
      results.set(
        t.index,
        result('skipped', `${mapping.dvTable} ${t.dvId} is no longer within the filters of ${mapping.name}.`),
      );
    }
  }
}

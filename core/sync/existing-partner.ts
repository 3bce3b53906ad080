import { passesFilter } from '../model/filter.js';
import type { FieldMapping } from '../model/mapping.js';
import type { BcRecord, DvRow } from '../model/record.js';
import { BC_KEY_FIELDS } from '../model/tables.js';
import { appliesIn, type Pass, type Patch } from './fields.js';
import type { RunContext } from './run-context.js';

export type Rec = BcRecord | DvRow;

/** A BC record's number; a Dataverse row has none, so its id stands in. */
export const numberOf = (r: Rec): string => ('number' in r ? r.number : r.id);

/** The field mappings that carry the BC number and name, flowing in `pass`: the duplicate probes. */
function keyFields(ctx: RunContext, pass: Pass): { number?: FieldMapping; name?: FieldMapping } {
  const keys = BC_KEY_FIELDS[ctx.mapping.bcTable];
  const find = (bcField: string) =>
    ctx.mapping.fields.find((f) => f.bcField === bcField && f.constant === null && appliesIn(f, pass));
  return { number: find(keys.number), name: find(keys.name) };
}

/**
 * Records on the target side that already look like `source` and are inside the filter and uncoupled
 * (domain.md §9: a full synchronization must not duplicate data that exists on both sides).
 * `sameNumber` is true when they share the number: that is the same record (e.g. created by a run
 * that crashed before it could couple it).
 */
export async function existingPartner(
  ctx: RunContext,
  pass: Pass,
  source: Rec,
  patch: Patch,
): Promise<{ id: string; sameNumber: boolean } | null> {
  const { deps, mapping } = ctx;
  const keys = keyFields(ctx, pass);
  for (const [kind, fm] of [
    ['number', keys.number],
    ['name', keys.name],
  ] as const) {
    if (!fm) continue;
    const target = pass === 'ToIntegrationTable' ? fm.dvField : fm.bcField;
    const value = patch.fields[target];
    if (typeof value !== 'string' || value.trim() === '') continue;
    let found: Rec[];
    if (pass === 'ToIntegrationTable') {
      found = (await deps.dv.findByField(mapping.dvTable, target, value, 5)).filter((r) =>
        passesFilter(r.fields, mapping.integrationTableFilter),
      );
      const coupled = new Set(
        (
          await deps.couplings.getManyByDvIds(
            mapping.name,
            found.map((r) => r.id),
          )
        ).map((c) => c.dvId),
      );
      found = found.filter((r) => !coupled.has(r.id));
    } else {
      const byNumber = kind === 'number' ? await deps.bc.getByNumber(mapping.bcTable, value) : null;
      found = byNumber
        ? [byNumber]
        : kind === 'name' && deps.bc.findByName
          ? await deps.bc.findByName(mapping.bcTable, value, 5)
          : [];
      found = found.filter((r) => passesFilter(r.fields, mapping.tableFilter));
      const coupled = new Set(
        (
          await deps.couplings.getManyByBcIds(
            mapping.name,
            found.map((r) => r.id),
          )
        ).map((c) => c.bcId),
      );
      found = found.filter((r) => !coupled.has(r.id));
    }
    const [first] = found;
    if (first) return { id: first.id, sameNumber: kind === 'number' && found.length === 1 };
  }
  return null;
}

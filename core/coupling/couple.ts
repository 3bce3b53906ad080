import { DomainError, ErrorCode } from '../errors.js';
import type { Actor } from '../model/actor.js';
import { requireAvailable } from '../mappings/availability.js';
import { passesFilter } from '../model/filter.js';
import { DV_NAME_FIELDS } from '../model/tables.js';
import type { CouplingDeps } from './deps.js';
import { checkSyncAfterCoupling, establishCoupling, type CoupleResult } from './establish.js';
import {
  isGuid,
  parseSyncAfterCoupling,
  requireBcTable,
  requireDvTable,
  requireGuid,
  requireName,
  requireNumber,
} from './inputs.js';
import { filterRefusal, notFoundBc, notFoundDv } from './labels.js';
import { mappingForBcTable } from './mapping-lookup.js';
import { refuseWhileWaiting } from './waiting-refusal.js';

export interface CoupleInput {
  bcTable: unknown;
  number: unknown;
  dvId: unknown;
  syncAfterCoupling?: unknown;
}

/** `couple <entity> <no> to <dataverse entity> <id | "exact name">`, as typed (untrusted). */
export interface CoupleToInput {
  bcTable: unknown;
  number: unknown;
  dvTable: unknown;
  idOrExactName: unknown;
  syncAfterCoupling?: unknown;
}

/** Set Up Coupling's OK: couple a BC record (by number) to a chosen Dataverse row (by id). */
export async function couple(deps: CouplingDeps, actor: Actor, input: CoupleInput): Promise<CoupleResult> {
  const table = requireBcTable(input.bcTable);
  const number = requireNumber(input.number, table);
  const dvId = requireGuid(input.dvId, 'a Dataverse row');
  const choice = parseSyncAfterCoupling(input.syncAfterCoupling);
  const m = requireAvailable(deps, await mappingForBcTable(deps.mappings, table));
  checkSyncAfterCoupling(m, choice);
  const bc = await deps.bc.getByNumber(table, number);
  if (!bc) throw notFoundBc(table, number);
  if (!passesFilter(bc.fields, m.tableFilter)) throw filterRefusal(m, bc, 'bc', bc.fields);
  const dv = await deps.dv.get(m.dvTable, dvId);
  if (!dv) throw notFoundDv(m.dvTable, dvId);
  await refuseWhileWaiting(deps, m, bc, dv, choice);
  return establishCoupling(deps, actor, m, bc, dv, { origin: 'manual', syncAfterCoupling: choice });
}

/**
 * `couple customer 10000 to account <id | "exact name">`. A name must be exact; when several rows
 * carry it, the one inside the mapping's filter is taken, and if several are, the user picks an id.
 */
export async function coupleTo(
  deps: CouplingDeps,
  actor: Actor,
  input: CoupleToInput,
): Promise<CoupleResult> {
  const table = requireBcTable(input.bcTable);
  const dvTable = requireDvTable(input.dvTable);
  const m = requireAvailable(deps, await mappingForBcTable(deps.mappings, table));
  if (m.dvTable !== dvTable) {
    throw new DomainError(
      ErrorCode.InvalidInput,
      `${table} records couple to ${m.dvTable} rows (table mapping ${m.name}), not to ${dvTable} rows.`,
    );
  }
  const base = { bcTable: table, number: input.number, syncAfterCoupling: input.syncAfterCoupling };
  if (isGuid(input.idOrExactName)) return couple(deps, actor, { ...base, dvId: input.idOrExactName });
  requireNumber(input.number, table);
  const name = requireName(input.idOrExactName, dvTable);
  const rows = await deps.dv.findByField(dvTable, DV_NAME_FIELDS[dvTable], name, 20);
  if (rows.length === 0) {
    throw new DomainError(
      ErrorCode.NotFound,
      `No ${dvTable} is named "${name}" exactly. Type "couple ${table.toLowerCase()} ${String(input.number)}" to see candidates.`,
    );
  }
  const inside = rows.filter((r) => passesFilter(r.fields, m.integrationTableFilter));
  if (inside.length > 1) {
    throw new DomainError(
      ErrorCode.InvalidInput,
      `Several ${dvTable} rows are named "${name}": ${inside.map((r) => r.id).join(', ')}. ` +
        `Couple by id: couple ${table.toLowerCase()} ${String(input.number)} to ${dvTable} <id>.`,
    );
  }
  // None inside the filter: coupling the first one gives BC's refusal naming the mapping.
  return couple(deps, actor, { ...base, dvId: (inside[0] ?? rows[0])!.id });
}

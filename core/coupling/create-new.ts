import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode, isDomainError } from '../errors.js';
import { newId } from '../ids.js';
import { valuesImpliedByFilter } from '../mappings/filter-defaults.js';
import { requireAvailable } from '../mappings/availability.js';
import type { Actor } from '../model/actor.js';
import { passesFilter } from '../model/filter.js';
import { flowsToDataverse, type IntegrationTableMapping, type SyncAfterCoupling } from '../model/mapping.js';
import type { BcRecord, Fields } from '../model/record.js';
import { newRecordPatch } from '../sync/new-record-patch.js';
import type { CouplingDeps } from './deps.js';
import {
  checkSyncAfterCoupling,
  currentCouplingOf,
  establishCoupling,
  type CoupleResult,
} from './establish.js';
import { parseSyncAfterCoupling, requireBcTable, requireNumber } from './inputs.js';
import { bcLabel, filterRefusal, notFoundBc } from './labels.js';
import { mappingForBcTable } from './mapping-lookup.js';
import { takeBack } from './take-back.js';

/**
 * Create New (domain.md §2): creates the Dataverse row from the BC record through the mapping's field
 * mappings, with the company id and type code its Integration Table Filter requires, then couples.
 * Idempotent: the row's id is chosen here and reserved before the request, so a retry, a double click
 * or a restart after a crash finds that row instead of creating a second one. If coupling is refused
 * (the record was coupled elsewhere meanwhile), the row is deleted again so no orphan is left behind.
 */
export async function createNew(
  deps: CouplingDeps,
  actor: Actor,
  input: { bcTable: unknown; number: unknown; syncAfterCoupling?: unknown },
): Promise<CoupleResult> {
  const table = requireBcTable(input.bcTable);
  const number = requireNumber(input.number, table);
  const choice: SyncAfterCoupling = parseSyncAfterCoupling(input.syncAfterCoupling);
  const m = requireAvailable(deps, await mappingForBcTable(deps.mappings, table));
  if (!flowsToDataverse(m.direction)) {
    throw new DomainError(
      ErrorCode.NotAllowedByMapping,
      `Create New is not available: table mapping ${m.name} has direction ${m.direction}, so no data flows to ` +
        'Dataverse. Pick an existing row instead, or ask a manager to change the direction.',
    );
  }
  checkSyncAfterCoupling(m, choice);
  const bc = await deps.bc.getByNumber(table, number);
  if (!bc) throw notFoundBc(table, number);
  if (!passesFilter(bc.fields, m.tableFilter)) throw filterRefusal(m, bc, 'bc', bc.fields);
  const existing = await currentCouplingOf(deps, m, bc, choice);
  if (existing) return existing;

  const { fields, notes } = await newRowFields(deps, m, bc);
  const id = await deps.couplings.reserveCreate(m.name, bc.id, randomUUID(), deps.clock.now());
  const jobId = newId();
  const label = `${m.dvTable} ${id} (created for ${bcLabel(bc)})`;
  await deps.journal?.record(jobId, [
    { kind: 'rowCreated', system: 'dv', table: m.dvTable, id, modifiedOn: null, label },
  ]);
  const row = await deps.dv.create(m.dvTable, fields, { id });
  await deps.journal?.created(jobId, 'dv', [{ id: row.id, modifiedOn: row.modifiedOn }]);
  let result: CoupleResult;
  try {
    result = await establishCoupling(deps, actor, m, bc, row, {
      origin: 'create-new',
      syncAfterCoupling: choice,
      created: 'dv',
      jobId,
    });
  } catch (e) {
    // Anything else (the store failed) leaves the row and its reservation: a retry couples that row.
    if (!isDomainError(e)) throw e;
    const now = e.code === ErrorCode.AlreadyCoupled ? await currentCouplingOf(deps, m, bc, choice) : null;
    if (now?.coupling.dvId === row.id) {
      await deps.couplings.releaseCreate(m.name, bc.id);
      return now;
    }
    await takeBack(`The ${row.table} ${row.id} created for this coupling`, 'Dataverse', () =>
      deps.dv.delete(row.table, row.id),
    );
    await deps.couplings.releaseCreate(m.name, bc.id);
    // A double click that lost the race: the other click coupled the record, which is what was asked.
    if (now) return now;
    throw e;
  }
  await deps.couplings.releaseCreate(m.name, bc.id);
  return notes.length > 0 ? { ...result, message: `${result.message} ${notes.join(' ')}` } : result;
}

async function newRowFields(
  deps: CouplingDeps,
  m: IntegrationTableMapping,
  bc: BcRecord,
): Promise<{ fields: Fields; notes: string[] }> {
  const patch = await newRecordPatch(deps, m, 'ToIntegrationTable', bc.fields);
  if (patch.errors.length > 0) {
    throw new DomainError(
      ErrorCode.InvalidInput,
      `${bcLabel(bc)} cannot be created in Dataverse: ${patch.errors.join(' ')} Nothing was changed.`,
    );
  }
  return {
    fields: { ...patch.fields, ...valuesImpliedByFilter(m.integrationTableFilter) },
    notes: patch.notes,
  };
}

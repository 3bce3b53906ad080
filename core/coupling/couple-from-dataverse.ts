import { DomainError, ErrorCode, isDomainError } from '../errors.js';
import { valuesImpliedByFilter } from '../mappings/filter-defaults.js';
import { requireAvailable } from '../mappings/availability.js';
import type { Actor } from '../model/actor.js';
import { passesFilter } from '../model/filter.js';
import { flowsToBusinessCentral, type IntegrationTableMapping } from '../model/mapping.js';
import type { BcRecord, DvRow, Fields } from '../model/record.js';
import { BC_KEY_FIELDS } from '../model/tables.js';
import { newRecordPatch } from '../sync/new-record-patch.js';
import { newId } from '../ids.js';
import type { CouplingDeps } from './deps.js';
import { establishCoupling, type CoupleResult } from './establish.js';
import { requireDvTable, requireGuid } from './inputs.js';
import { bcLabel, dvLabel, dvName, filterRefusal, notFoundDv } from './labels.js';
import { mappingForDvRow } from './mapping-lookup.js';
import { asText } from '../model/normalise.js';
import { takeBack } from './take-back.js';

const refuse = (message: string) => new DomainError(ErrorCode.NotAllowedByMapping, message);

/** domain.md §3: only when Synch. Only Coupled Records is off and data may flow into BC. */
function checkAllowed(m: IntegrationTableMapping): void {
  const word = m.name.toLowerCase();
  if (m.syncOnlyCoupled) {
    throw refuse(
      `Coupling from the Dataverse side is off for table mapping ${m.name} because its Synch. Only Coupled ` +
        `Records is on. A manager can turn it off ("mapping ${word} sync-only-coupled off"), or couple from ` +
        `Business Central instead ("couple ${m.bcTable.toLowerCase()} <no.> to ${m.dvTable} <id>").`,
    );
  }
  if (!flowsToBusinessCentral(m.direction)) {
    throw refuse(
      `Coupling from the Dataverse side needs data to flow into Business Central, but table mapping ${m.name} ` +
        `has direction ${m.direction}. A manager can change it ("mapping ${word} direction bidirectional").`,
    );
  }
}

/** The BC record this row stands for: same number (when the mapping carries it), else same name. */
async function findPartner(
  deps: CouplingDeps,
  m: IntegrationTableMapping,
  row: DvRow,
): Promise<BcRecord | null> {
  const keys = BC_KEY_FIELDS[m.bcTable];
  const numberColumn = m.fields.find((f) => f.bcField === keys.number && f.constant === null)?.dvField;
  const number = numberColumn ? asText(row.fields[numberColumn]).trim() : '';
  const byNumber = number ? await deps.bc.getByNumber(m.bcTable, number) : null;
  if (byNumber) return byNumber;
  const name = dvName(row).trim();
  const byName = name && deps.bc.findByName ? await deps.bc.findByName(m.bcTable, name, 5) : [];
  if (byName.length > 1) {
    throw new DomainError(
      ErrorCode.InvalidInput,
      `Several ${m.bcTable} records are named like "${name}": ${byName.map((r) => r.number).join(', ')}. ` +
        `Couple from Business Central instead: couple ${m.bcTable.toLowerCase()} <no.> to ${m.dvTable} ${row.id}.`,
    );
  }
  return byName[0] ?? null;
}

async function newRecordFields(deps: CouplingDeps, m: IntegrationTableMapping, row: DvRow): Promise<Fields> {
  const patch = await newRecordPatch(deps, m, 'FromIntegrationTable', row.fields);
  const fields = { ...valuesImpliedByFilter(m.tableFilter), ...patch.fields };
  const problems = [...patch.errors];
  if (!passesFilter(fields, m.tableFilter))
    problems.push(`The new ${m.bcTable} would not meet table mapping ${m.name}'s Table Filter.`);
  if (problems.length > 0) {
    throw new DomainError(
      ErrorCode.InvalidInput,
      `${dvLabel(row)} cannot be created in Business Central: ${problems.join(' ')} Nothing was changed.`,
    );
  }
  return fields;
}

/**
 * A coupling started from a Dataverse row (`couple account <id>`): finds the BC record with the same
 * number or name, or creates it in BC from the row, then couples. A created record is removed again
 * if the coupling does not happen.
 */
export async function coupleFromDataverse(
  deps: CouplingDeps,
  actor: Actor,
  input: { dvTable: unknown; id: unknown },
): Promise<CoupleResult> {
  const dvTable = requireDvTable(input.dvTable);
  const id = requireGuid(input.id, `a Dataverse ${dvTable}`);
  const row = await deps.dv.get(dvTable, id);
  if (!row) throw notFoundDv(dvTable, id);
  const m = requireAvailable(deps, await mappingForDvRow(deps.mappings, row));
  checkAllowed(m);
  if (!passesFilter(row.fields, m.integrationTableFilter)) throw filterRefusal(m, null, 'dv', row.fields);
  const existing = await alreadyCoupled(deps, m, row);
  if (existing) return existing;
  const options = { origin: 'dataverse', syncAfterCoupling: 'No' } as const;
  const partner = await findPartner(deps, m, row);
  if (partner) return establishCoupling(deps, actor, m, partner, row, options);

  const bc = await deps.bc.create(m.bcTable, await newRecordFields(deps, m, row));
  // Business Central chooses the new record's id, so it is journalled as soon as it is known.
  const jobId = newId();
  await deps.journal?.record(jobId, [
    {
      kind: 'rowCreated',
      system: 'bc',
      table: m.bcTable,
      id: bc.id,
      modifiedOn: bc.modifiedOn,
      label: bcLabel(bc),
    },
  ]);
  try {
    return await establishCoupling(deps, actor, m, bc, row, { ...options, created: 'bc', jobId });
  } catch (e) {
    await takeBack(`${bcLabel(bc)}, created for this coupling,`, 'Business Central', () =>
      deps.bc.delete(bc.table, bc.id),
    );
    const now =
      isDomainError(e) && e.code === ErrorCode.AlreadyCoupled ? await alreadyCoupled(deps, m, row) : null;
    if (now) return now;
    throw e;
  }
}

async function alreadyCoupled(
  deps: CouplingDeps,
  m: IntegrationTableMapping,
  row: DvRow,
): Promise<CoupleResult | null> {
  const coupling = await deps.couplings.getByDvId(m.name, row.id);
  if (!coupling) return null;
  const bc = await deps.bc.getById(m.bcTable, coupling.bcId);
  if (!bc) {
    throw new DomainError(
      ErrorCode.AlreadyCoupled,
      `This ${m.dvTable} is coupled to ${m.bcTable} ${coupling.bcNumber}, which no longer exists in Business Central. ` +
        `Delete Coupling first (uncouple ${m.bcTable.toLowerCase()} ${coupling.bcNumber}).`,
    );
  }
  const message = `${dvLabel(row)} is already coupled to ${bcLabel(bc)}; nothing was changed.`;
  return {
    mapping: m.name,
    coupling,
    bc,
    dv: row,
    alreadyCoupled: true,
    syncAfterCoupling: 'No',
    created: null,
    message,
  };
}

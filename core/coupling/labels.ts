import { DomainError, ErrorCode } from '../errors.js';
import { describeFilter, passesFilter, type TableFilter } from '../model/filter.js';
import type { IntegrationTableMapping } from '../model/mapping.js';
import type { BcRecord, DvRow, Fields } from '../model/record.js';
import { BC_KEY_FIELDS, DV_NAME_FIELDS, type BcTable, type DvTable } from '../model/tables.js';
import { asText } from '../model/normalise.js';

/** How records are named in messages, the way BC names them: "Customer 10000 Adatum Corporation". */
export const bcName = (r: BcRecord): string => asText(r.fields[BC_KEY_FIELDS[r.table].name]);
export const dvName = (r: DvRow): string => asText(r.fields[DV_NAME_FIELDS[r.table]]);
export const bcLabel = (r: BcRecord): string => `${r.table} ${r.number}${bcName(r) ? ` ${bcName(r)}` : ''}`;
export const dvLabel = (r: DvRow): string => `${r.table} ${dvName(r) || '(no name)'} (${r.id})`;

/** Audit subjects such as "customer:10000". */
export const bcSubject = (table: BcTable, number: string): string => `${table.toLowerCase()}:${number}`;
export const dvSubject = (table: DvTable, id: string): string => `${table}:${id}`;

/** The conditions a record fails, so a refusal says which one instead of leaving people guessing. */
function failedConditions(fields: Fields, filter: TableFilter): string {
  return describeFilter(filter.filter((c) => !passesFilter(fields, [c])));
}

/** BC's refusal when a filter excludes either side (domain.md §2), plus the failing condition. */
export function filterRefusal(
  m: IntegrationTableMapping,
  bc: BcRecord | null,
  side: 'bc' | 'dv',
  fields: Fields,
): DomainError {
  const subject = bc ? `${bcLabel(bc)} to this ${m.dvTable}` : `this ${m.dvTable}`;
  const filterName = side === 'bc' ? 'Table Filter' : 'Integration Table Filter';
  return new DomainError(
    ErrorCode.OutsideFilter,
    `Cannot couple ${subject} because the filters applied to table mapping ${m.name} are preventing it. ` +
      `The ${side === 'bc' ? m.bcTable : m.dvTable} does not meet the ${filterName}: ${failedConditions(fields, side === 'bc' ? m.tableFilter : m.integrationTableFilter)}.`,
  );
}

export function notFoundBc(table: BcTable, number: string): DomainError {
  return new DomainError(
    ErrorCode.NotFound,
    `There is no ${table} ${number} in Business Central. Check the number and try again.`,
  );
}

export function notFoundDv(table: DvTable, id: string): DomainError {
  return new DomainError(ErrorCode.NotFound, `There is no ${table} with id ${id} in Dataverse.`);
}

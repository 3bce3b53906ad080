import { DomainError, ErrorCode } from '../errors.js';
import { passesFilter, type FilterCondition } from '../model/filter.js';
import type { IntegrationTableMapping } from '../model/mapping.js';
import type { DvRow } from '../model/record.js';
import type { BcTable } from '../model/tables.js';
import type { MappingSource } from './deps.js';

/** A mapping source that can also read the one mapping of a BC table (the mapping service can). */
type BcTableSource = MappingSource & {
  findForBcTable?: (table: BcTable) => Promise<IntegrationTableMapping | null>;
};

/**
 * The mapping that couples a BC table (Customer → CUSTOMER, Item → ITEM-PRODUCT). Reads only that
 * mapping when the source can: every record card asks, and all mappings are many large documents.
 */
export async function mappingForBcTable(
  source: BcTableSource,
  table: BcTable,
): Promise<IntegrationTableMapping> {
  const m = source.findForBcTable
    ? await source.findForBcTable(table)
    : (await source.list()).find((x) => x.bcTable === table);
  return m ?? noMappingFor(table);
}

/**
 * The same mapping for a card that only shows it (a record, Set Up Coupling): from the source's recent
 * snapshot when it has one, so the turn spends no round trip on it. Acting on it reads it afresh.
 */
export async function shownMappingForBcTable(
  source: BcTableSource,
  table: BcTable,
): Promise<IntegrationTableMapping> {
  if (!source.recent) return mappingForBcTable(source, table);
  return (await source.recent()).find((x) => x.bcTable === table) ?? noMappingFor(table);
}

function noMappingFor(table: BcTable): never {
  throw new DomainError(ErrorCode.NotFound, `No table mapping couples Business Central ${table} records.`);
}

/** A mapping by name, case-insensitively ("customer" is CUSTOMER). */
export async function mappingByName(source: MappingSource, name: unknown): Promise<IntegrationTableMapping> {
  const all = await source.list();
  const wanted = typeof name === 'string' ? name.trim().toUpperCase() : '';
  const m = all.find((x) => x.name.toUpperCase() === wanted);
  if (!m) {
    throw new DomainError(
      ErrorCode.NotFound,
      `There is no table mapping "${String(name).slice(0, 40)}"; the mappings are ${all.map((x) => x.name).join(', ')}.`,
    );
  }
  return m;
}

const sameCondition = (a: FilterCondition, b: FilterCondition): boolean =>
  a.field === b.field &&
  Boolean(a.not) === Boolean(b.not) &&
  JSON.stringify(a.anyOf) === JSON.stringify(b.anyOf);

/**
 * The mapping a Dataverse row belongs to. Several mappings can share a table (account: CUSTOMER and
 * VENDOR); they are told apart by the filter conditions they do not share (customertypecode 3 or 11),
 * so an inactive customer account still resolves to CUSTOMER and is then refused by its filter.
 */
export async function mappingForDvRow(source: MappingSource, row: DvRow): Promise<IntegrationTableMapping> {
  const options = (await source.list()).filter((m) => m.dvTable === row.table);
  if (options.length === 1) return options[0]!;
  const fits = options.filter((m) => {
    const own = m.integrationTableFilter.filter(
      (c) => !options.every((o) => o.integrationTableFilter.some((oc) => sameCondition(c, oc))),
    );
    return passesFilter(row.fields, own);
  });
  if (fits.length === 1) return fits[0]!;
  throw new DomainError(
    ErrorCode.OutsideFilter,
    options.length === 0
      ? `No table mapping couples Dataverse ${row.table} rows.`
      : `This ${row.table} belongs to none of the table mappings ${options.map((m) => m.name).join(', ')} ` +
          '(its type does not match their filters), so it cannot be coupled.',
  );
}

import { z } from 'zod';
import type { DvRow, FieldValue, Fields } from '../../core/model/record.js';
import type { DvTable } from '../../core/model/tables.js';
import { ConnectorError } from '../../core/ports/errors.js';
import { DV_DEFAULT_SELECT } from './dv-columns.js';
import { isGuid } from './odata.js';
import type { QueryColumn } from './odata-filter.js';

/**
 * Dataverse tables as Web API v9.2 exposes them. Lookup columns are read as `_x_value` and written as
 * `<navigation property>@odata.bind: /<entity set>(<id>)`; in DvRow.fields they are plain GUIDs keyed by
 * the column's logical name (transactioncurrencyid), as the sandbox keeps them.
 */
interface Lookup {
  nav: string;
  target: string;
}

interface DvEntity {
  entitySet: string;
  idColumn: string;
  lookups: Record<string, Lookup>;
}

const lookup = (nav: string, target: string): Lookup => ({ nav, target });
const CURRENCY = { transactioncurrencyid: lookup('transactioncurrencyid', 'transactioncurrencies') };
// BC's multi-company column: a lookup to the company table of the Business Central integration solution,
// logical name bcbi_company, entity set bcbi_companies (domain.md §1). Dataverse refuses any other set.
const COMPANY = { bcbi_companyid: lookup('bcbi_companyid', 'bcbi_companies') };
const OWNER = { ownerid: lookup('ownerid', 'systemusers') };

const ENTITIES: Record<DvTable, DvEntity> = {
  account: {
    entitySet: 'accounts',
    idColumn: 'accountid',
    lookups: {
      ...CURRENCY,
      ...COMPANY,
      ...OWNER,
      parentaccountid: lookup('parentaccountid', 'accounts'),
      primarycontactid: lookup('primarycontactid', 'contacts'),
    },
  },
  contact: {
    entitySet: 'contacts',
    idColumn: 'contactid',
    // parentcustomerid is polymorphic (account or contact); the integration couples contacts to accounts.
    lookups: {
      ...CURRENCY,
      ...COMPANY,
      ...OWNER,
      parentcustomerid: lookup('parentcustomerid_account', 'accounts'),
    },
  },
  product: {
    entitySet: 'products',
    idColumn: 'productid',
    lookups: {
      ...CURRENCY,
      ...COMPANY,
      defaultuomid: lookup('DefaultUoMId', 'uoms'),
      defaultuomscheduleid: lookup('DefaultUoMScheduleId', 'uomschedules'),
    },
  },
  systemuser: {
    entitySet: 'systemusers',
    idColumn: 'systemuserid',
    lookups: { businessunitid: lookup('businessunitid', 'businessunits') },
  },
  transactioncurrency: {
    entitySet: 'transactioncurrencies',
    idColumn: 'transactioncurrencyid',
    lookups: {},
  },
};

export const dvEntity = (table: DvTable): DvEntity => ENTITIES[table];

/** The property to name in $select / $filter for a column, and whether its values are GUIDs. */
export function queryColumn(table: DvTable, column: string): QueryColumn {
  const entity = ENTITIES[table];
  if (entity.lookups[column]) return { name: `_${column}_value`, guid: true };
  return { name: column, guid: column === entity.idColumn };
}

/** $select: the id, modifiedon and the mapped columns (lookups as _x_value). */
export function selectList(table: DvTable, columns: readonly string[] | undefined): string {
  const entity = ENTITIES[table];
  const names = [entity.idColumn, 'modifiedon', ...(columns ?? DV_DEFAULT_SELECT[table])].map(
    (c) => queryColumn(table, c).name,
  );
  return [...new Set(names)].join(',');
}

function buildRowSchema(table: DvTable) {
  return z.looseObject({
    [ENTITIES[table].idColumn]: z.string().min(1),
    modifiedon: z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'not a date'),
    '@odata.etag': z.string().optional(),
  });
}

// Built once per table: building a zod schema costs far more than using it, and lists parse thousands of rows.
const ROW_SCHEMAS = new Map<DvTable, ReturnType<typeof buildRowSchema>>();

/** The properties every row must carry: its id and modifiedon (the ETag when there is one). */
export function rowSchema(table: DvTable): ReturnType<typeof buildRowSchema> {
  let schema = ROW_SCHEMAS.get(table);
  if (!schema) ROW_SCHEMAS.set(table, (schema = buildRowSchema(table)));
  return schema;
}

/** Web API JSON → DvRow; annotations dropped, _x_value lookups back under their column name. */
export function fromApi(table: DvTable, json: Record<string, unknown>): DvRow {
  const entity = ENTITIES[table];
  const fields: Fields = {};
  for (const [key, value] of Object.entries(json)) {
    if (key.includes('@') || key === entity.idColumn || key === 'modifiedon') continue;
    const lookupColumn = /^_(.+)_value$/.exec(key)?.[1];
    fields[lookupColumn ?? key] = value as FieldValue;
  }
  return {
    table,
    id: String(json[entity.idColumn]),
    fields,
    modifiedOn: new Date(String(json.modifiedon)),
    etag: typeof json['@odata.etag'] === 'string' ? json['@odata.etag'] : undefined,
  };
}

/** DvRow fields → Web API body; lookups become @odata.bind (null clears them). */
export function toApi(table: DvTable, fields: Fields): Record<string, FieldValue> {
  const entity = ENTITIES[table];
  const body: Record<string, FieldValue> = {};
  for (const [column, value] of Object.entries(fields)) {
    const target = entity.lookups[column];
    if (!target) {
      body[column] = value;
      continue;
    }
    if (value !== null && value !== '' && (typeof value !== 'string' || !isGuid(value))) {
      throw new ConnectorError(
        'Dataverse',
        `${table}.${column} takes the id (a GUID) of a ${target.target} row, not "${String(value)}".`,
      );
    }
    body[`${target.nav}@odata.bind`] =
      value === null || value === '' ? null : `/${target.target}(${value.toLowerCase()})`;
  }
  return body;
}

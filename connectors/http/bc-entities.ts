import { z } from 'zod';
import type { BcRecord, FieldValue, Fields } from '../../core/model/record.js';
import { BC_KEY_FIELDS, type BcTable } from '../../core/model/tables.js';
import { ConnectorError } from '../../core/ports/errors.js';

/**
 * Business Central tables as API v2.0 exposes them: entity set, key property and, per BC field name
 * used by the mappings, the API property. Fields the API does not offer are not listed, so writing one
 * is refused with a clear error instead of being dropped silently.
 */
interface BcEntity {
  entitySet: string;
  /** 'number' for No.-keyed tables, 'code' for Code-keyed ones (currencies, salespeople). */
  key: 'number' | 'code';
  fields: Record<string, string>;
  /** Option fields whose blank value the API writes as " " (Customer/Vendor Blocked). */
  blankOptions?: readonly string[];
}

const ADDRESS = {
  Address: 'addressLine1',
  'Address 2': 'addressLine2',
  City: 'city',
  County: 'state',
  'Country/Region Code': 'country',
  'Post Code': 'postalCode',
  'Phone No.': 'phoneNumber',
  'E-Mail': 'email',
  'Home Page': 'website',
};
const PARTY = {
  'No.': 'number',
  Name: 'displayName',
  ...ADDRESS,
  'Currency Code': 'currencyCode',
  Blocked: 'blocked',
};

const ENTITIES: Partial<Record<BcTable, BcEntity>> = {
  Customer: {
    entitySet: 'customers',
    key: 'number',
    fields: {
      ...PARTY,
      'Credit Limit (LCY)': 'creditLimit',
      'Salesperson Code': 'salespersonCode',
      'Tax Liable': 'taxLiable',
    },
    blankOptions: ['Blocked'],
  },
  Vendor: { entitySet: 'vendors', key: 'number', fields: PARTY, blankOptions: ['Blocked'] },
  Contact: {
    entitySet: 'contacts',
    key: 'number',
    fields: {
      'No.': 'number',
      Name: 'displayName',
      Type: 'type',
      'Company No.': 'companyNumber',
      'Company Name': 'companyName',
      'Mobile Phone No.': 'mobilePhoneNumber',
      'Privacy Blocked': 'privacyBlocked',
      ...ADDRESS,
    },
  },
  Item: {
    entitySet: 'items',
    key: 'number',
    fields: {
      'No.': 'number',
      Description: 'displayName',
      'Description 2': 'displayName2',
      Type: 'type',
      Blocked: 'blocked',
      'Unit Price': 'unitPrice',
      'Unit Cost': 'unitCost',
      GTIN: 'gtin',
      'Item Category Code': 'itemCategoryCode',
      'Base Unit of Measure': 'baseUnitOfMeasureCode',
    },
  },
  Currency: {
    entitySet: 'currencies',
    key: 'code',
    fields: { Code: 'code', Description: 'displayName', Symbol: 'symbol' },
  },
  // salespeoplePurchasers arrived in API v2.0 with BC 2025 release wave 1 (version 26).
  'Salesperson/Purchaser': {
    entitySet: 'salespeoplePurchasers',
    key: 'code',
    fields: {
      Code: 'code',
      Name: 'displayName',
      'E-Mail': 'email',
      'E-Mail 2': 'email2',
      'Phone No.': 'phoneNo',
      'Job Title': 'jobTitle',
      'Commission %': 'commisionPercent',
      Blocked: 'blocked',
      'Privacy Blocked': 'privacyBlocked',
    },
  },
};

/** Why API v2.0 cannot serve a table, or undefined when it can. */
export function missingEntitySet(table: BcTable): string | undefined {
  if (ENTITIES[table]) return undefined;
  return (
    `Business Central API v2.0 has no entity set for ${table} (it is only in the read-only analytics API), ` +
    `so ${table} records cannot be read or written through the real connector`
  );
}

export function bcEntity(table: BcTable): BcEntity {
  const entity = ENTITIES[table];
  if (!entity) throw new ConnectorError('Business Central', `${missingEntitySet(table)}.`);
  return entity;
}

/** The API property for a BC field, undefined when API v2.0 does not offer it (or the table at all). */
export function bcApiField(table: BcTable, bcName: string): string | undefined {
  return ENTITIES[table]?.fields[bcName];
}

/**
 * $select for the given BC fields: their API properties (fields the API does not offer are left out,
 * as fromApi leaves them out) plus what every record needs: id, number or code, modified time.
 */
export function bcSelect(table: BcTable, bcFields: readonly string[]): string {
  const entity = bcEntity(table);
  const properties = new Set(['id', entity.key, 'lastModifiedDateTime']);
  for (const field of bcFields) {
    const api = entity.fields[field];
    if (api) properties.add(api);
  }
  return [...properties].join(',');
}

/** The properties we rely on; everything else the API sends is ignored. */
export const BcEntityJson = z.looseObject({
  id: z.string().min(1),
  lastModifiedDateTime: z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'not a date'),
  '@odata.etag': z.string().optional(),
});

/** API JSON → BcRecord keyed by the mapping's BC field names. */
export function fromApi(table: BcTable, json: z.infer<typeof BcEntityJson>): BcRecord {
  const entity = bcEntity(table);
  const fields: Fields = {};
  for (const [bcName, apiName] of Object.entries(entity.fields)) {
    if (!(apiName in json)) continue;
    const value = json[apiName] as FieldValue;
    fields[bcName] = entity.blankOptions?.includes(bcName) && value === ' ' ? '' : value;
  }
  const number = json[entity.key];
  return {
    table,
    id: json.id,
    number: typeof number === 'string' ? number : String(fields[BC_KEY_FIELDS[table].number] ?? ''),
    fields,
    modifiedOn: new Date(json.lastModifiedDateTime),
    etag: json['@odata.etag'],
  };
}

/** BC field names → API body; a field the API does not offer is an error for this record. */
export function toApi(table: BcTable, fields: Fields): Record<string, FieldValue> {
  const entity = bcEntity(table);
  const body: Record<string, FieldValue> = {};
  for (const [bcName, value] of Object.entries(fields)) {
    const apiName = entity.fields[bcName];
    if (!apiName) {
      throw new ConnectorError(
        'Business Central',
        `Business Central API v2.0 offers no field for ${table} "${bcName}"; it cannot be written.`,
      );
    }
    body[apiName] = entity.blankOptions?.includes(bcName) && (value === '' || value === null) ? ' ' : value;
  }
  return body;
}

import type { IntegrationTableMapping } from '../../core/model/mapping.js';
import type { DvTable } from '../../core/model/tables.js';

const ADDRESS = [
  'address1_line1',
  'address1_line2',
  'address1_city',
  'address1_postalcode',
  'address1_country',
  'address1_stateorprovince',
];

/**
 * Columns read when the composition root gives no select list: what the default mappings
 * (core/mappings/default-fields.ts) and their Integration Table Filters use, nothing more.
 */
export const DV_DEFAULT_SELECT: Record<DvTable, readonly string[]> = {
  account: [
    ...[
      'name',
      'accountnumber',
      'emailaddress1',
      'telephone1',
      'websiteurl',
      'address1_primarycontactname',
      'creditlimit',
    ],
    ...ADDRESS,
    ...['transactioncurrencyid', 'primarycontactid', 'ownerid', 'statecode', 'customertypecode'],
    'bcbi_companyid',
  ],
  contact: [
    ...[
      'fullname',
      'firstname',
      'middlename',
      'lastname',
      'jobtitle',
      'emailaddress1',
      'telephone1',
      'mobilephone',
      'fax',
    ],
    ...ADDRESS,
    ...['websiteurl', 'parentcustomerid', 'ownerid', 'statecode', 'bcbi_companyid'],
  ],
  product: [
    'name',
    'productnumber',
    'description',
    'price',
    'standardcost',
    'producttypecode',
    'statecode',
    'transactioncurrencyid',
    'bcbi_companyid',
  ],
  systemuser: [
    ...['fullname', 'firstname', 'lastname', 'internalemailaddress', 'mobilephone'],
    ...[
      'isdisabled',
      'islicensed',
      'isintegrationuser',
      'accessmode',
      'applicationid',
      'azureactivedirectoryobjectid',
    ],
  ],
  transactioncurrency: ['isocurrencycode', 'currencyname', 'currencysymbol', 'exchangerate', 'statecode'],
};

/**
 * $select lists from the mappings in use: every mapped Dataverse column and every column their
 * Integration Table Filters test, per table. Pass the result as HttpDataverse's `select` option.
 */
export function selectFromMappings(
  mappings: readonly IntegrationTableMapping[],
): Partial<Record<DvTable, string[]>> {
  const select: Partial<Record<DvTable, Set<string>>> = {};
  for (const mapping of mappings) {
    const columns = (select[mapping.dvTable] ??= new Set());
    mapping.fields.forEach((f) => columns.add(f.dvField));
    mapping.integrationTableFilter.forEach((c) => columns.add(c.field));
  }
  return Object.fromEntries(Object.entries(select).map(([table, columns]) => [table, [...columns]]));
}

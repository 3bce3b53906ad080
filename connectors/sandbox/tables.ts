import type { BcTable, DvTable } from '../../core/model/tables.js';

export { DV_KEY_COLUMNS, keyKindOf } from '../../core/model/key-columns.js';

/** Collection of each sandbox table (design.md "Storage": `bc.*` / `dv.*`). */
export const BC_COLLECTIONS: Record<BcTable, string> = {
  Customer: 'bc.customer',
  Vendor: 'bc.vendor',
  Contact: 'bc.contact',
  Item: 'bc.item',
  Resource: 'bc.resource',
  'Salesperson/Purchaser': 'bc.salesperson',
  Currency: 'bc.currency',
};

export const DV_COLLECTIONS: Record<DvTable, string> = {
  account: 'dv.account',
  contact: 'dv.contact',
  product: 'dv.product',
  systemuser: 'dv.systemuser',
  transactioncurrency: 'dv.transactioncurrency',
};

/** Column names reach MongoDB as keys of `fields.*` paths: only plain identifiers are accepted. */
export const isColumnName = (s: string): boolean => /^[A-Za-z_][A-Za-z0-9_]{0,99}$/.test(s);

export const ALL_BC_TABLES = Object.keys(BC_COLLECTIONS) as BcTable[];
export const ALL_DV_TABLES = Object.keys(DV_COLLECTIONS) as DvTable[];

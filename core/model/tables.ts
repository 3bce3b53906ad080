import { z } from 'zod';

/** Business Central tables the integration knows (domain.md §1). */
export const BcTable = z.enum([
  'Customer',
  'Vendor',
  'Contact',
  'Item',
  'Resource',
  'Salesperson/Purchaser',
  'Currency',
]);
export type BcTable = z.infer<typeof BcTable>;

/** Dataverse tables (logical names). */
export const DvTable = z.enum(['account', 'contact', 'product', 'systemuser', 'transactioncurrency']);
export type DvTable = z.infer<typeof DvTable>;

/** The words users type, singular; plurals and typos are the parser's business. */
export const BC_ENTITY_WORDS = {
  customer: 'Customer',
  vendor: 'Vendor',
  contact: 'Contact',
  item: 'Item',
  resource: 'Resource',
  salesperson: 'Salesperson/Purchaser',
  currency: 'Currency',
} as const satisfies Record<string, BcTable>;
export type BcEntityWord = keyof typeof BC_ENTITY_WORDS;

export const DV_ENTITY_WORDS = {
  account: 'account',
  contact: 'contact',
  product: 'product',
  systemuser: 'systemuser',
  transactioncurrency: 'transactioncurrency',
} as const satisfies Record<string, DvTable>;
export type DvEntityWord = keyof typeof DV_ENTITY_WORDS;

/** The field that carries a BC record's number ("No." or "Code") and its display name, per table. */
export const BC_KEY_FIELDS: Record<BcTable, { number: string; name: string }> = {
  Customer: { number: 'No.', name: 'Name' },
  Vendor: { number: 'No.', name: 'Name' },
  Contact: { number: 'No.', name: 'Name' },
  Item: { number: 'No.', name: 'Description' },
  Resource: { number: 'No.', name: 'Name' },
  'Salesperson/Purchaser': { number: 'Code', name: 'Name' },
  Currency: { number: 'Code', name: 'Description' },
};

/** Primary name column per Dataverse table (used in cards and candidate search). */
export const DV_NAME_FIELDS: Record<DvTable, string> = {
  account: 'name',
  contact: 'fullname',
  product: 'name',
  systemuser: 'fullname',
  transactioncurrency: 'currencyname',
};

import { DV_NAME_FIELDS, type DvTable } from './tables.js';

/**
 * The columns of each Dataverse table that identify a row well enough to propose it as a partner in
 * Set Up Coupling. Connectors index exactly these (the sandbox keeps normalised copies of them).
 */
export interface DvKeyColumns {
  name: string;
  number?: string;
  email?: string;
  phone?: string;
}

export const DV_KEY_COLUMNS: Record<DvTable, DvKeyColumns> = {
  account: {
    name: DV_NAME_FIELDS.account,
    number: 'accountnumber',
    email: 'emailaddress1',
    phone: 'telephone1',
  },
  contact: { name: DV_NAME_FIELDS.contact, email: 'emailaddress1', phone: 'telephone1' },
  product: { name: DV_NAME_FIELDS.product, number: 'productnumber' },
  systemuser: { name: DV_NAME_FIELDS.systemuser, email: 'internalemailaddress', phone: 'mobilephone' },
  transactioncurrency: { name: DV_NAME_FIELDS.transactioncurrency, number: 'isocurrencycode' },
};

/** Which kind of key a Dataverse column is for its table, if any. */
export function keyKindOf(table: DvTable, column: string): keyof DvKeyColumns | null {
  const keys = DV_KEY_COLUMNS[table];
  for (const kind of ['name', 'number', 'email', 'phone'] as const) {
    if (keys[kind] === column) return kind;
  }
  return null;
}

import { ensureCollection, isDuplicateKeyError, type Db } from '../../core/ports/store.js';
import { seedId } from './seed-ids.js';

/**
 * What the sandbox keeps besides its tables, modelled on the real systems: BC's Company Information
 * (the local currency code), BC's Contact Business Relations (which customer or vendor a company
 * contact stands for), and Dataverse's organisation (its base currency).
 */
export const REFERENCE_COLLECTIONS = {
  companyInformation: 'bc.companyinformation',
  businessRelations: 'bc.contactbusinessrelation',
  organization: 'dv.organization',
} as const;

interface CompanyInformationDoc {
  _id: string;
  currencyCode: string;
}
interface OrganizationDoc {
  _id: string;
  basecurrencyid: string | null;
}
/** One Contact Business Relation: company contact `contactNo` is `linkToTable` `no`. */
export interface BusinessRelationDoc {
  _id: string;
  contactNo: string;
  linkToTable: 'Customer' | 'Vendor';
  no: string;
}

const COMPANY = 'company';
const ORGANIZATION = 'organization';
/** CRONUS USA keeps its amounts in US dollars; Dataverse's base currency is the USD row. */
export const SANDBOX_LCY = 'USD';
export const SANDBOX_BASE_CURRENCY_ID = seedId('dv:transactioncurrency:usd');

const relation = (
  contactNo: string,
  linkToTable: 'Customer' | 'Vendor',
  no: string,
): BusinessRelationDoc => ({
  _id: contactNo,
  contactNo,
  linkToTable,
  no,
});

/** The demo company contacts and the customers they stand for (seed-data-bc.ts). */
const RELATIONS: BusinessRelationDoc[] = [
  relation('CT100', 'Customer', '10000'),
  relation('CT200', 'Customer', '20000'),
  relation('CT300', 'Customer', '30000'),
  relation('CT400', 'Customer', '40000'),
];

async function insertIgnoringDuplicates<T extends { _id: string }>(db: Db, name: string, docs: T[]) {
  await ensureCollection(db, name);
  try {
    await db.collection<T>(name).insertMany(docs as never, { ordered: false });
  } catch (e) {
    if (!isDuplicateKeyError(e)) throw e;
  }
}

export async function seedReferenceData(db: Db): Promise<void> {
  await insertIgnoringDuplicates<CompanyInformationDoc>(db, REFERENCE_COLLECTIONS.companyInformation, [
    { _id: COMPANY, currencyCode: SANDBOX_LCY },
  ]);
  await insertIgnoringDuplicates<OrganizationDoc>(db, REFERENCE_COLLECTIONS.organization, [
    { _id: ORGANIZATION, basecurrencyid: SANDBOX_BASE_CURRENCY_ID },
  ]);
  await insertIgnoringDuplicates<BusinessRelationDoc>(db, REFERENCE_COLLECTIONS.businessRelations, RELATIONS);
}

export async function clearReferenceData(db: Db): Promise<void> {
  for (const name of Object.values(REFERENCE_COLLECTIONS)) await db.collection(name).deleteMany({});
}

export async function localCurrencyCode(db: Db): Promise<string> {
  const doc = await db
    .collection<CompanyInformationDoc>(REFERENCE_COLLECTIONS.companyInformation)
    .findOne({ _id: COMPANY });
  return doc?.currencyCode ?? '';
}

export async function baseCurrencyId(db: Db): Promise<string | null> {
  const doc = await db
    .collection<OrganizationDoc>(REFERENCE_COLLECTIONS.organization)
    .findOne({ _id: ORGANIZATION });
  return doc?.basecurrencyid ?? null;
}

/** Filters take validated strings only: numbers come from stored records, never from a client. */
const plain = (s: string): string | null => (typeof s === 'string' && s.length <= 50 ? s : null);

export async function relationOfContact(db: Db, contactNo: string): Promise<BusinessRelationDoc | null> {
  const no = plain(contactNo);
  if (no === null) return null;
  return db
    .collection<BusinessRelationDoc>(REFERENCE_COLLECTIONS.businessRelations)
    .findOne({ contactNo: no });
}

export async function relationOfAccount(
  db: Db,
  linkToTable: 'Customer' | 'Vendor',
  number: string,
): Promise<BusinessRelationDoc | null> {
  const no = plain(number);
  if (no === null) return null;
  return db
    .collection<BusinessRelationDoc>(REFERENCE_COLLECTIONS.businessRelations)
    .findOne({ linkToTable, no });
}

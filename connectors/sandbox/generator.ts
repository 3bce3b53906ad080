import type { Db } from '../../core/ports/store.js';
import { DomainError, ErrorCode } from '../../core/ports/errors.js';
import type { Fields } from '../../core/model/record.js';
import { systemClock, type Clock } from '../../core/ports/clock.js';
import { bcDoc, dvDoc, type SandboxDoc } from './documents.js';
import { ensureSandboxIndexes } from './seed.js';
import { SANDBOX_COMPANY_ID, seedId } from './seed-ids.js';
import { BC_COLLECTIONS, DV_COLLECTIONS } from './tables.js';
import { makeRandom, nearVariant, uniqueNames, type Random } from './synthetic-names.js';

export interface SyntheticOptions {
  customers: number;
  accounts: number;
  /** Fractions of the customers that get an exact, a near (case/spacing/punctuation) or a duplicate match. */
  overlap?: { exact?: number; near?: number; duplicate?: number };
  seed?: number;
  companyId?: string;
  /** Customer numbers are prefix + 6 digits (S000001…), apart from the demo data's 10000…. */
  numberPrefix?: string;
  chunkSize?: number;
  clock?: Clock;
}

export interface SyntheticResult {
  customers: number;
  accounts: number;
  exact: number;
  near: number;
  /** Customers whose name two accounts share. */
  duplicate: number;
  unrelated: number;
  firstNumber: string;
  lastNumber: string;
}

const invalid = (m: string) => new DomainError(ErrorCode.InvalidInput, m);

function checkOptions(o: SyntheticOptions): { exact: number; near: number; duplicate: number } {
  const whole = (n: number) => Number.isInteger(n) && n >= 0 && n <= 1_000_000;
  if (!whole(o.customers) || !whole(o.accounts))
    throw invalid('customers and accounts are whole numbers from 0 to 1,000,000.');
  const f = {
    exact: o.overlap?.exact ?? 0,
    near: o.overlap?.near ?? 0,
    duplicate: o.overlap?.duplicate ?? 0,
  };
  if (Object.values(f).some((x) => !(x >= 0 && x <= 1)) || f.exact + f.near + f.duplicate > 1) {
    throw invalid('overlap fractions are from 0 to 1 and add up to at most 1.');
  }
  const counts = {
    exact: Math.round(o.customers * f.exact),
    near: Math.round(o.customers * f.near),
    duplicate: Math.round(o.customers * f.duplicate),
  };
  if (counts.exact + counts.near + 2 * counts.duplicate > o.accounts) {
    throw invalid(
      `${o.accounts} accounts are too few for the requested overlap (duplicates need two accounts each).`,
    );
  }
  return counts;
}

function customerFields(r: Random, number: string, name: string, i: number): Fields {
  const domain = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example`;
  return {
    'No.': number,
    Name: name,
    Contact: '',
    Address: `${1 + r.int(999)} ${r.pick(['Main Street', 'Harbour Road', 'Oak Avenue', 'Station Road', 'Market Square'])}`,
    'Address 2': '',
    City: r.pick(['Atlanta', 'Chicago', 'Miami', 'Seattle', 'Denver', 'Boston']),
    County: '',
    'Post Code': String(10000 + r.int(89999)),
    'Country/Region Code': 'US',
    'Phone No.': `+1 425 ${String(100 + Math.floor(i / 10000)).padStart(3, '0')} ${String(i % 10000).padStart(4, '0')}`,
    'E-Mail': `info@${domain}`,
    'Home Page': `www.${domain}`,
    'Currency Code': '',
    'Credit Limit (LCY)': 1000 * r.int(100),
    Blocked: '',
  };
}

const account = (name: string, companyId: string, extra: Fields = {}): Fields => ({
  name,
  accountnumber: null,
  customertypecode: 3,
  statecode: 0,
  bcbi_companyid: companyId,
  ...extra,
});

async function insertChunks(db: Db, collection: string, docs: SandboxDoc[], size: number): Promise<void> {
  const col = db.collection<SandboxDoc>(collection);
  for (let i = 0; i < docs.length; i += size)
    await col.insertMany(docs.slice(i, i + size), { ordered: false });
}

/**
 * N synthetic BC customers and M Dataverse accounts for benchmarks of sync and match: deterministic for
 * a seed, with chosen fractions of exact, near and duplicate matches; the rest of the accounts share
 * nothing with any customer. Inserted in bulk.
 */
export async function generateSynthetic(db: Db, options: SyntheticOptions): Promise<SyntheticResult> {
  const counts = checkOptions(options);
  const seed = options.seed ?? 1;
  const r = makeRandom(seed);
  const companyId = options.companyId ?? SANDBOX_COMPANY_ID;
  const prefix = options.numberPrefix ?? 'S';
  const unrelated = options.accounts - counts.exact - counts.near - 2 * counts.duplicate;
  const names = uniqueNames(r, options.customers + unrelated);
  // One time for all rows: running ahead of the clock would hide the first real edits from a sync.
  const at = (options.clock ?? systemClock).now();
  const numberOf = (i: number) => `${prefix}${String(i + 1).padStart(6, '0')}`;

  const customers = names
    .slice(0, options.customers)
    .map((name, i) => customerFields(r, numberOf(i), name, i));
  const order = r.shuffle(customers.map((_, i) => i));
  const accounts: Fields[] = [];
  let k = 0;
  for (; k < counts.exact; k++) {
    const c = customers[order[k]!]!;
    accounts.push(
      account(String(c['Name']), companyId, { emailaddress1: c['E-Mail']!, telephone1: c['Phone No.']! }),
    );
  }
  for (; k < counts.exact + counts.near; k++)
    accounts.push(account(nearVariant(r, String(customers[order[k]!]!['Name'])), companyId));
  for (; k < counts.exact + counts.near + counts.duplicate; k++) {
    const name = String(customers[order[k]!]!['Name']);
    accounts.push(account(name, companyId), account(name, companyId));
  }
  names.slice(options.customers).forEach((name) => accounts.push(account(name, companyId)));

  const size = Math.max(100, Math.min(options.chunkSize ?? 1000, 10_000));
  await ensureSandboxIndexes(db);
  const bcDocs = customers.map((f, i) =>
    bcDoc('Customer', seedId(`syn:${seed}:${prefix}:c:${i}`), f, at, '1'),
  );
  await insertChunks(db, BC_COLLECTIONS.Customer, bcDocs, size);
  const dvDocs = accounts.map((f, i) => dvDoc('account', seedId(`syn:${seed}:${prefix}:a:${i}`), f, at, '1'));
  await insertChunks(db, DV_COLLECTIONS.account, dvDocs, size);
  return {
    customers: customers.length,
    accounts: accounts.length,
    ...counts,
    unrelated,
    firstNumber: customers.length ? numberOf(0) : '',
    lastNumber: customers.length ? numberOf(customers.length - 1) : '',
  };
}

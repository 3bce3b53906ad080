import type { BcRecord, DvRow } from '../../core/model/record.js';
import type { BusinessCentralPort } from '../../core/ports/business-central.js';
import type { DataversePort } from '../../core/ports/dataverse.js';

export const COMPANY = '8f4c2a61-3b7e-4d09-9c15-2e6a7b1d5f30';
const OTHER = 'c3d9e2f1-6a4b-4e87-8b21-90f5d7c3a1e4';
const CITIES = [
  'Atlanta',
  'Chicago',
  'Miami',
  'Seattle',
  'Denver',
  'Boston',
  'Dallas',
  'Oslo',
  'Lyon',
  'Graz',
];
const WORDS = [
  'Alpine',
  'Blue',
  'Coho',
  'Delta',
  'Fabrikam',
  'Litware',
  'Northwind',
  'Proseware',
  'Tailspin',
  'Wide',
];
const AT = new Date('2025-01-01T00:00:00Z');

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/**
 * Text as a connector has it: a flat string, as JSON.parse makes. A template literal makes a rope (a
 * string made of pieces) which holds more memory per value than anything read from the network.
 */
const flat = (...parts: string[]): string => parts.join('');
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

/** Customer i of a seed, on its own: each record has its own generator, so any page can be made alone. */
function customer(seed: number, i: number) {
  const r = prng(seed * 1_000_003 + i);
  const name = flat(pick(r, WORDS), ' ', pick(r, WORDS), ' ', i.toString(36));
  return { name, city: pick(r, CITIES), email: flat('info@', i.toString(36), '.example'), kind: r() };
}

function bcRecord(seed: number, i: number): BcRecord {
  const c = customer(seed, i);
  const no = flat('C', String(i).padStart(6, '0'));
  const fields = { 'No.': no, Name: c.name, City: c.city, 'E-Mail': c.email, Blocked: '' };
  return { table: 'Customer', id: flat('bc-', String(i)), number: no, fields, modifiedOn: AT };
}

/** What an account is made from: a customer's index times 8 plus a variant, or -(n + 1) for unrelated n. */
const SAME_EMAIL = 0;
const SAME_NAME = 1;
const TWIN = 2;
const OTHER_COMPANY = 3;

/**
 * The accounts' order, one number each (see above). Of the customers: 50% have an account with the same
 * e-mail (in another case), 20% one with the same name and city but no e-mail, 5% two such accounts
 * (several matches), 5% an account of another company; the remaining accounts are unrelated. Shuffled.
 */
function accountPlan(n: number, seed: number): Int32Array {
  const plan = new Int32Array(2 * n);
  let len = 0;
  for (let i = 0; i < n && len < n; i++) {
    const k = customer(seed, i).kind;
    if (k < 0.5) plan[len++] = i * 8 + SAME_EMAIL;
    else if (k < 0.7) plan[len++] = i * 8 + SAME_NAME;
    else if (k < 0.75) plan.fill(i * 8 + TWIN, len, (len += 2));
    else if (k < 0.8) plan[len++] = i * 8 + OTHER_COMPANY;
  }
  for (; len < n; len++) plan[len] = -(len + 1);
  const r = prng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [plan[i], plan[j]] = [plan[j] as number, plan[i] as number];
  }
  return plan.subarray(0, n);
}

function dvRow(seed: number, plan: Int32Array, p: number): DvRow {
  const code = plan[p] as number;
  const base = { customertypecode: 3, statecode: 0, bcbi_companyid: COMPANY };
  let fields: Record<string, string | number | null>;
  if (code < 0) {
    const u = -code - 1;
    const city = pick(prng(seed * 1_000_003 + 500_000_000 + u), CITIES);
    fields = {
      ...base,
      name: flat('Unrelated ', String(u)),
      address1_city: city,
      emailaddress1: flat('x', String(u), '@u.example'),
    };
  } else {
    const c = customer(seed, code >> 3);
    const variant = code & 7;
    if (variant === SAME_EMAIL)
      fields = { ...base, name: c.name, address1_city: c.city, emailaddress1: c.email.toUpperCase() };
    else if (variant === SAME_NAME)
      fields = { ...base, name: c.name.toLowerCase(), address1_city: c.city, emailaddress1: null };
    else if (variant === TWIN) fields = { ...base, name: c.name, address1_city: c.city, emailaddress1: null };
    else
      fields = {
        ...base,
        name: c.name,
        address1_city: c.city,
        emailaddress1: c.email,
        bcbi_companyid: OTHER,
      };
  }
  return { table: 'account', id: flat('dv-', String(p)), fields, modifiedOn: AT };
}

/** n customers and n accounts, deterministic for a seed, all made at once (for the in-memory runs). */
export function generate(n: number, seed: number): { bcRecords: BcRecord[]; dvRows: DvRow[] } {
  const plan = accountPlan(n, seed);
  const bcRecords = Array.from({ length: n }, (_, i) => bcRecord(seed, i));
  const dvRows = Array.from({ length: n }, (_, p) => dvRow(seed, plan, p));
  return { bcRecords, dvRows };
}

/** CPU time spent making pages, so that a run can leave out what a connector's network read replaces. */
let makingCpuUs = 0;
export const pageMakingCpuMs = (): number => makingCpuUs / 1000;

/** Pages made when asked for and dropped by whoever read them, as a connector streams them from the network. */
async function* pages<T>(n: number, size: number, make: (i: number) => T): AsyncIterable<T[]> {
  for (let i = 0; i < n; i += size) {
    const c0 = process.cpuUsage();
    const page: T[] = [];
    for (let k = i; k < Math.min(n, i + size); k++) page.push(make(k));
    const c = process.cpuUsage(c0);
    makingCpuUs += c.user + c.system;
    yield page;
  }
}

const unused = (): never => {
  throw new Error('not used by the match bench');
};

/**
 * The same n customers and accounts as generate(), served page by page through the ports (20,000 BC
 * records, 5,000 Dataverse rows a page, as the connectors page them); nothing holds the whole tables.
 */
export function streamingPorts(n: number, seed: number): { bc: BusinessCentralPort; dv: DataversePort } {
  const plan = accountPlan(n, seed);
  const served = () => ({ served: true }) as const;
  const bc: Partial<BusinessCentralPort> = {
    kind: 'sandbox',
    supports: served,
    list: () => pages(n, 20_000, (i) => bcRecord(seed, i)),
  };
  const dv: Partial<DataversePort> = {
    kind: 'sandbox',
    supports: served,
    list: () => pages(n, 5_000, (p) => dvRow(seed, plan, p)),
  };
  for (const k of [
    'getById',
    'getByNumber',
    'getManyByIds',
    'create',
    'update',
    'delete',
    'updateMany',
    'createMany',
  ] as const)
    bc[k] = unused;
  for (const k of [
    'get',
    'getMany',
    'findByField',
    'findCandidates',
    'create',
    'update',
    'delete',
    'updateMany',
    'createMany',
  ] as const)
    dv[k] = unused;
  return { bc: bc as BusinessCentralPort, dv: dv as DataversePort };
}

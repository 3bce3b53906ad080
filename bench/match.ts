import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../embedded-mongo/index.js';
import { createAuditLog } from '../core/audit/audit-log.js';
import { CouplingRepository, ensureCouplingIndexes } from '../core/coupling/coupling-repository.js';
import { createJobRepository } from '../core/jobs/job-repository.js';
import { defaultMapping } from '../core/mappings/defaults.js';
import { createMappingService } from '../core/mappings/mapping-service.js';
import { validateCriteria } from '../core/match/criteria.js';
import { matchRecords } from '../core/match/engine.js';
import { createMatchRunRepository } from '../core/match/match-run-repository.js';
import { createMatchService } from '../core/match/match-service.js';
import { nestedLoopMatch } from '../core/match/nested-loop.js';
import { nearBench } from './match-near.js';
import type { BcRecord, DvRow } from '../core/model/record.js';
import type { BusinessCentralPort } from '../core/ports/business-central.js';
import { systemClock } from '../core/ports/clock.js';
import type { DataversePort } from '../core/ports/dataverse.js';
import { createRoles } from '../core/roles.js';
import { ensureIndexes } from '../core/store/indexes.js';
import type { BenchSection } from './types.js';

const COMPANY = '8f4c2a61-3b7e-4d09-9c15-2e6a7b1d5f30';
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
/** Two priority groups: E-Mail first, then Name AND City (issue 5's benchmark). */
const CRITERIA = {
  fields: [
    { bcField: 'E-Mail', match: true, priority: 0 },
    { bcField: 'Name', match: true, priority: 1 },
    { bcField: 'City', match: true, priority: 1 },
  ],
};

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
 * n customers and n accounts, deterministic for a seed. Of the customers: 50% have an account with the
 * same e-mail (in another case), 20% one with the same name and city but no e-mail, 5% two such accounts
 * (several matches), 5% an account of another company; the remaining accounts are unrelated. Shuffled.
 */
function generate(n: number, seed: number): { bcRecords: BcRecord[]; dvRows: DvRow[] } {
  const r = prng(seed);
  const at = new Date('2025-01-01T00:00:00Z');
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const bcRecords: BcRecord[] = [];
  const dv: Array<Record<string, string | number | null>> = [];
  const account = (f: Record<string, string | number | null>) =>
    dv.push({ customertypecode: 3, statecode: 0, bcbi_companyid: COMPANY, ...f });
  for (let i = 0; i < n; i++) {
    const name = `${pick(WORDS)} ${pick(WORDS)} ${i.toString(36)}`;
    const city = pick(CITIES);
    const email = `info@${i.toString(36)}.example`;
    const no = `C${String(i).padStart(6, '0')}`;
    bcRecords.push({
      table: 'Customer',
      id: `bc-${i}`,
      number: no,
      fields: { 'No.': no, Name: name, City: city, 'E-Mail': email, Blocked: '' },
      modifiedOn: at,
    });
    const k = r();
    if (k < 0.5) account({ name, address1_city: city, emailaddress1: email.toUpperCase() });
    else if (k < 0.7) account({ name: name.toLowerCase(), address1_city: city, emailaddress1: null });
    else if (k < 0.75) [1, 2].forEach(() => account({ name, address1_city: city, emailaddress1: null }));
    else if (k < 0.8) account({ name, address1_city: city, emailaddress1: email, bcbi_companyid: OTHER });
  }
  while (dv.length < n)
    account({
      name: `Unrelated ${dv.length}`,
      address1_city: pick(CITIES),
      emailaddress1: `x${dv.length}@u.example`,
    });
  for (let i = dv.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [dv[i], dv[j]] = [dv[j] as (typeof dv)[number], dv[i] as (typeof dv)[number]];
  }
  const dvRows = dv
    .slice(0, n)
    .map((fields, i): DvRow => ({ table: 'account', id: `dv-${i}`, fields, modifiedOn: at }));
  return { bcRecords, dvRows };
}

const unused = (): never => {
  throw new Error('not used by the match bench');
};
async function* pages<T>(items: readonly T[], size = 20_000): AsyncIterable<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
/** Records already loaded, served through the ports the way a connector pages them. */
function memoryPorts(bcRecords: BcRecord[], dvRows: DvRow[]): { bc: BusinessCentralPort; dv: DataversePort } {
  const served = () => ({ served: true }) as const;
  const bc: Partial<BusinessCentralPort> = {
    kind: 'sandbox',
    supports: served,
    list: () => pages(bcRecords),
  };
  const dv: Partial<DataversePort> = { kind: 'sandbox', supports: served, list: () => pages(dvRows, 5_000) };
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

let peakRss = 0;
const sample = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
/** Wall-clock and CPU time: on a shared machine the CPU time shows the cost when others take the cores. */
function timed<T>(fn: () => T): { value: T; ms: number; cpuMs: number } {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const value = fn();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  sample();
  return { value, ms, cpuMs: (c.user + c.system) / 1000 };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function wholeRun(bcRecords: BcRecord[], dvRows: DvRow[]) {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-match-'));
  const server = await startEmbeddedMongo({ dbPath: dir, port: 0 });
  const client = await new MongoClient(server.uri).connect();
  try {
    const db = client.db('bench');
    await ensureIndexes(db);
    await ensureCouplingIndexes(db);
    const clock = systemClock;
    const roles = createRoles(['bench']);
    const audit = createAuditLog({ db, clock });
    const mappings = createMappingService({ db, roles, audit, clock, companyId: COMPANY });
    await mappings.seedDefaults();
    const runs = createMatchRunRepository(db);
    const deps = {
      runs,
      mappings,
      ...memoryPorts(bcRecords, dvRows),
      couplings: new CouplingRepository(db),
      jobs: createJobRepository({ db, clock }),
      roles,
      audit,
      clock,
      ttlHours: 72,
    };
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const run = await createMatchService(deps).proposeRun(
      { id: 'bench', name: 'Bench' },
      'CUSTOMER',
      CRITERIA,
    );
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    sample();
    const t1 = performance.now();
    await createMatchService(deps).getRowsPage(run.id, 1_000, { kind: 'proposed' });
    return {
      run,
      ms,
      cpuMs: (c.user + c.system) / 1000,
      pageMs: performance.now() - t1,
      pageDocs: await db.collection('matchRunRows').countDocuments({ runId: run.id }),
    };
  } finally {
    await client.close();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchSection> {
  const timer = setInterval(sample, 50);
  try {
    const mapping = defaultMapping(COMPANY, 'CUSTOMER');
    if (!mapping) throw new Error('CUSTOMER mapping missing');
    const criteria = validateCriteria(mapping, CRITERIA);
    const big = generate(100_000, 42);
    const input = {
      mapping,
      criteria,
      ...big,
      coupledBcIds: new Set<string>(),
      coupledDvIds: new Set<string>(),
    };
    // Each run's outcomes are dropped once counted: the bench holds only what it reports.
    const engineRuns = [1, 2, 3].map(() => timed(() => matchRecords(input).counts));
    const counts = (engineRuns[0] as (typeof engineRuns)[number]).value;
    const engineMs = median(engineRuns.map((e) => e.ms));
    const engineCpuMs = median(engineRuns.map((e) => e.cpuMs));
    const whole = await wholeRun(big.bcRecords, big.dvRows);

    const small = generate(10_000, 7);
    const smallInput = {
      mapping,
      criteria,
      ...small,
      coupledBcIds: new Set<string>(),
      coupledDvIds: new Set<string>(),
    };
    const hash = [1, 2, 3].map(() => timed(() => matchRecords(smallInput)));
    const nested = timed(() => nestedLoopMatch(smallInput));
    const hashMs = median(hash.map((h) => h.ms));
    const same = isDeepStrictEqual((hash[0] as (typeof hash)[number]).value, nested.value);
    const ratio = nested.ms / hashMs;
    sample();
    const row = (metric: string, value: number, unit: string, target?: string, pass?: boolean) =>
      target === undefined ? { metric, value, unit } : { metric, value, unit, target, pass };
    const mb = (b: number) => Math.round(b / 1024 / 1024);
    const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    const peakRssOfExact = peakRss;
    // Near candidates run after the exact figures and their peak RSS are taken, so they change neither.
    const near = nearBench(input, engineMs, COMPANY);
    return {
      title: 'Match-based coupling (hash join, proposal storage)',
      rows: [
        row(
          'match 100k x 100k, 2 priority groups (in memory, median of 3)',
          Math.round(engineMs),
          'ms',
          '<= 2000',
          engineMs <= 2000,
        ),
        row('  same, CPU time of this process', Math.round(engineCpuMs), 'ms'),
        row(
          'whole run 100k x 100k incl. storing the proposal',
          Math.round(whole.ms),
          'ms',
          '<= 10000',
          whole.ms <= 10_000,
        ),
        row('  same, CPU time (includes the in-process embedded-mongo)', Math.round(whole.cpuMs), 'ms'),
        row('stored row pages (500 rows each)', whole.pageDocs, 'docs'),
        row('read one card page (25 rows) deep in the run', Math.round(whole.pageMs), 'ms'),
        row('hash join 10k x 10k (median of 3)', Math.round(hashMs * 10) / 10, 'ms'),
        row('nested loop 10k x 10k', Math.round(nested.ms), 'ms'),
        row('hash join speed-up over nested loop', Math.round(ratio), 'x', '>= 100', ratio >= 100 && same),
        row('peak RSS (sampled process.memoryUsage().rss)', mb(peakRssOfExact), 'MB'),
        row('peak RSS (OS maxRSS)', maxRssMb, 'MB', '<= 400', maxRssMb <= 400),
        ...near.rows,
      ],
      notes: [
        `100k run: proposed ${counts.proposed}, several ${counts.severalMatches}, no match ${counts.noMatch}, already coupled ${counts.matchAlreadyCoupled}`,
        `nested loop and hash join gave ${same ? 'identical' : 'DIFFERENT'} results at 10k x 10k; the nested loop normalises values on every comparison, as a straightforward implementation does`,
        ...near.notes,
        'whole run = proposeRun: ports serve records already in memory, paged like connectors; couplings read and proposal written to embedded-mongo running in this same process',
        `load average during the run: ${loadavg()
          .map((l) => l.toFixed(1))
          .join(
            ' / ',
          )} on ${cpus().length} cores (wall times stretch when other processes share the cores; CPU times do not)`,
      ],
    };
  } finally {
    clearInterval(timer);
  }
}

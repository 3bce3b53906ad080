import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { composeBot, type ComposedBot } from '../bot/composition/compose-bot.js';
import { loadConfig } from '../core/config.js';
import { CouplingRepository, ensureCouplingIndexes } from '../core/coupling/coupling-repository.js';
import { createLogger } from '../core/logger.js';
import { valuesImpliedByFilter } from '../core/mappings/filter-defaults.js';
import type { Coupling } from '../core/model/coupling.js';
import type { IntegrationTableMapping } from '../core/model/mapping.js';
import type { JobCounters } from '../core/model/job.js';
import { ensureIndexes } from '../core/store/indexes.js';
import { snapshotOf } from '../core/sync/change-detection.js';
import { computePatch } from '../core/sync/fields.js';
import { lookupOf } from '../core/sync/lookups.js';
import { fromApi } from '../connectors/http/dv-entities.js';
import { startEmbeddedMongo } from '../embedded-mongo/index.js';
import {
  CLIENT,
  FAST_RETRY,
  SECRET,
  startHarness,
  TENANT,
  type Harness,
} from '../test/kit/loopback/harness.js';
import type { BenchRow, BenchSection } from './types.js';

/**
 * Issue 6's benchmark: 10,000 coupled customers synchronized by the real sync service, composed by
 * composeBot exactly as `npm start` composes it with BC_*, DATAVERSE_URL and AZURE_* set, against the
 * loopback authority, BC API v2.0 and Dataverse Web API (TLS, tokens, 5 ms server latency). Each round
 * someone edits 10% of the customers in BC and another 10% of the accounts in Dataverse first. Rounds:
 * a full sync (all 10,000 examined), a modified sync, and a modified sync while both servers answer
 * 429 (Retry-After: 1) to one request in ten. Requests are counted by the servers themselves.
 */
const N = 10_000;
const CHANGED = N / 10;
/** The quota scenario: a full synchronization of this many couplings, 1% changed on each side. */
const BIG = 100_000;
/** BC allows 6,000 requests per 5 minutes per user (domain.md §7); a full sync may use a tenth. */
const BC_QUOTA = 6_000;
const BATCH = { bc: 100, dv: 1000 };
const LATENCY_MS = 5;
const CAPS = { bc: 5, dv: 8 };
const ACTOR = { id: 'bench', name: 'Benchmark' };
/**
 * The sync keeps a 60 s margin for clock skew when it stores its high-water marks, so in a bench that
 * runs in minutes every record would still be inside the margin and be listed again. With the bot's
 * clock this far ahead of the servers', the marks fall as they do in steady state (records older than
 * a minute); the servers' own clocks are untouched.
 */
const CLOCK_AHEAD_MS = 5 * 60_000;

interface Round {
  label: string;
  full: boolean;
  throttleEvery: number;
}

export async function run(): Promise<BenchSection> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-sync-http-'));
  const server = await startEmbeddedMongo({ dbPath: dir });
  const client = await new MongoClient(server.uri).connect();
  const fakes = await startHarness({
    // The services' own page maxima (the test default pages by 3 to exercise paging, not to measure it).
    bc: { behaviour: { latencyMs: LATENCY_MS }, serverPageSize: 20_000 },
    dv: { behaviour: { latencyMs: LATENCY_MS }, serverPageSize: 5000 },
  });
  try {
    const db = client.db('bench_sync_http');
    await ensureIndexes(db);
    await ensureCouplingIndexes(db);
    const bot = composeBot({
      // Production settings; the store is the embedded server started above (its URI, as npm start would take it).
      config: loadConfig({
        NODE_ENV: 'production',
        SYNC_INTERVAL_MINUTES: '0',
        MONGODB_URI: server.uri,
        MANAGER_AAD_OBJECT_IDS: ACTOR.id, // full synchronization is a manager's
        ...envFor(fakes),
      }),
      logger: createLogger('silent'),
      db,
      clock: { now: () => new Date(Date.now() + CLOCK_AHEAD_MS) },
      fetch: fakes.fetch,
      // Retry-After is honoured as sent; only the backoff without one is shortened.
      httpRetry: { ...FAST_RETRY, maxTotalMs: 120_000, maxAttempts: 8 },
    });
    await bot.seed();
    const mapping = await bot.services.mappings.get('CUSTOMER');
    const links = await seed(fakes, bot, mapping, new CouplingRepository(db));

    const rounds: Round[] = [
      { label: 'full sync', full: true, throttleEvery: 0 },
      { label: 'modified sync', full: false, throttleEvery: 0 },
      { label: 'modified sync, 429 on 1 in 10', full: false, throttleEvery: 10 },
    ];
    const rows: BenchRow[] = [];
    const notes: string[] = [];
    for (const [i, round] of rounds.entries()) {
      const result = await measure(fakes, bot, links, round, i + 1);
      rows.push(...result.rows);
      notes.push(`${round.label}: ${result.message}`);
    }
    const echo = await bot.services.sync.synchronizeModified(ACTOR, 'CUSTOMER');
    const echoed = total(echo.job.counters);
    rows.push({
      metric: 'next modified sync: records echoed back',
      value: echoed,
      unit: 'records',
      target: '0',
      pass: echoed === 0,
    });
    const quota = await quotaScenario(fakes, bot, db);
    rows.push(...quota.rows);
    notes.push(quota.note);
    return {
      title: `Synchronization over HTTP: ${N.toLocaleString('en-US')} coupled customers, 10% changed on each side (loopback BC + Dataverse, TLS, ${LATENCY_MS} ms latency)`,
      rows,
      notes: [
        ...notes,
        'The bot is composed by composeBot with the HTTP connectors (only fetch, trusting the test CA, and the backoff are the bench’s); couplings and jobs on embedded-mongo.',
        'Dataverse requests per record written = every request the Dataverse server received during the run (reads, $batch writes, retries) / rows written to Dataverse; "writes only" counts the non-GET requests.',
        'A full sync counts each table ($count / RetrieveTotalRecordCount) and, when paging needs fewer requests than reads by id, reads it whole (BC pages of 20,000, Dataverse 5,000, $select of the mapped fields); a modified sync lists what changed and reads the partners by id, as many ids per request as a 15,000-character URL holds.',
        'Minimum writes: one $batch per 100 BC records and per 1,000 Dataverse rows written. Read targets: ≤ 5 per system for the full sync, ≤ 10 per 1,000 changed records (both sides’ changes) per system for a modified sync.',
        'The loopback servers run in this process and answer $filter on ids and modified times from an index; "loopback servers’ share" is the time they spent answering (token check, routing, filtering, JSON) over this process’s CPU time; the rest is the bot: sync, connectors, TLS, embedded-mongo.',
        'Max in flight is measured by the servers; the caps are the client’s (BC 5 per user, Dataverse DATAVERSE_MAX_CONCURRENCY = 8).',
      ],
    };
  } finally {
    await client.close();
    await server.stop();
    await fakes.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function envFor(fakes: Harness): Record<string, string> {
  return {
    BC_BASE_URL: fakes.bc.origin,
    BC_TENANT_ID: fakes.bc.tenantId,
    BC_ENVIRONMENT: fakes.bc.environment,
    BC_COMPANY_ID: fakes.bc.companyId,
    DATAVERSE_URL: fakes.dv.origin,
    AZURE_TENANT_ID: TENANT,
    AZURE_CLIENT_ID: CLIENT,
    AZURE_CLIENT_SECRET: SECRET,
    AZURE_AUTHORITY_HOST: fakes.authority.origin,
  };
}

/** 10,000 customers in BC, their accounts in Dataverse with the same mapped values, coupled and in step. */
async function seed(
  fakes: Harness,
  bot: ComposedBot,
  mapping: IntegrationTableMapping,
  couplings: CouplingRepository,
  n = N,
): Promise<Coupling[]> {
  fakes.bc.seed(
    'customers',
    Array.from({ length: n }, (_, i) => ({
      number: `B${String(i).padStart(6, '0')}`,
      displayName: `Customer ${i}`,
      addressLine1: `${i} Main Street`,
      city: 'Atlanta',
      country: 'US',
      postalCode: '31772',
      phoneNumber: `+1 404 555 ${String(i).padStart(4, '0')}`,
      email: `c${i}@example.com`,
      website: '',
      currencyCode: '',
      creditLimit: 0,
      blocked: ' ',
    })),
  );
  const customers = (await collect(bot.services.bc.list('Customer', { pageSize: 20_000 }))).sort((a, b) =>
    a.number.localeCompare(b.number),
  );
  const implied = valuesImpliedByFilter(mapping.integrationTableFilter);
  fakes.dv.seed(
    'accounts',
    customers.map((c) => {
      const fields = {
        ...implied,
        ...computePatch(
          // Look-up columns (currency, owner, contact) stay empty: the couplings' snapshots record both
          // sides as they are, so the pairs start in step.
          mapping.fields.filter((f) => !lookupOf(f)),
          'ToIntegrationTable',
          c.fields,
          null,
        ).fields,
      };
      const { transactioncurrencyid, bcbi_companyid, ...columns } = fields;
      // Stored as the Web API shows lookups: _x_value.
      return {
        ...columns,
        _transactioncurrencyid_value: transactioncurrencyid || null,
        _bcbi_companyid_value: bcbi_companyid ?? null,
      };
    }),
  );
  // The partner of each customer, as the Dataverse connector translates a row (lookups under their column).
  const accounts = new Map(
    fakes.dv
      .table('accounts')
      .all()
      .map((row) => [String(row.accountnumber), fromApi('account', row)] as const),
  );
  const links = customers.map((c): Coupling => {
    const a = accounts.get(c.number);
    if (!a) throw new Error(`no account for customer ${c.number}`);
    return {
      mapping: mapping.name,
      bcId: c.id,
      bcNumber: c.number,
      dvId: a.id,
      lastSyncedBcModifiedOn: c.modifiedOn,
      lastSyncedDvModifiedOn: a.modifiedOn,
      lastSyncResultBc: 'Success',
      lastSyncResultDv: 'Success',
      lastJobId: null,
      skipped: false,
      coupledAt: new Date(),
      coupledBy: 'bench',
      origin: 'bench',
      lastSyncedValues: snapshotOf(mapping.fields, c.fields, a.fields),
    };
  });
  await couplings.bulkInsert(links);
  return links;
}

/** Someone edits 10% of the customers in BC and another 10% of the accounts in Dataverse. */
function edit(fakes: Harness, links: readonly Coupling[], round: number): Array<() => boolean> {
  const offset = (round * 2 * CHANGED) % N;
  const inBc = links.slice(offset, offset + CHANGED);
  const inDv = links.slice(offset + CHANGED, offset + 2 * CHANGED);
  const phone = (c: Coupling) => `+47 ${round} ${c.bcNumber}`;
  const city = (c: Coupling) => `City ${round} ${c.bcNumber}`;
  inBc.forEach((c) => fakes.bc.table('customers').update(c.bcId, { phoneNumber: phone(c) }));
  inDv.forEach((c) => fakes.dv.table('accounts').update(c.dvId, { address1_city: city(c) }));
  // What "synchronized" means afterwards, checked on the servers' own rows.
  return [
    ...inBc.map((c) => () => fakes.dv.table('accounts').get(c.dvId)?.telephone1 === phone(c)),
    ...inDv.map((c) => () => fakes.bc.table('customers').get(c.bcId)?.city === city(c)),
  ];
}

async function measure(
  fakes: Harness,
  bot: ComposedBot,
  links: readonly Coupling[],
  round: Round,
  n: number,
): Promise<{ rows: BenchRow[]; message: string }> {
  const checks = edit(fakes, links, n);
  for (const server of [fakes.bc, fakes.dv]) {
    Object.assign(server.behaviour, { throttleEvery: round.throttleEvery, retryAfterSeconds: 1 });
    server.resetStats();
  }
  const started = performance.now();
  const cpu = process.cpuUsage();
  const { job } = round.full
    ? await bot.services.sync.synchronizeAll(ACTOR, 'CUSTOMER')
    : await bot.services.sync.synchronizeModified(ACTOR, 'CUSTOMER');
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  for (const server of [fakes.bc, fakes.dv]) server.behaviour.throttleEvery = 0;

  const examined = total(job.counters);
  const fakeMs = fakes.bc.busyMs() + fakes.dv.busyMs();
  const cpuMs = (used.user + used.system) / 1000;
  const synchronized = checks.filter((check) => check()).length;
  const dvAll = fakes.dv.requests.length;
  const dvWrites = fakes.dv.requests.filter((r) => r.method !== 'GET').length;
  const throttled = [...fakes.bc.requests, ...fakes.dv.requests].filter((r) => r.status === 429).length;
  const peak = { bc: fakes.bc.maxInFlight(), dv: fakes.dv.maxInFlight() };
  const exact = job.counters.modified === 2 * CHANGED && job.counters.failed === 0;
  const t = `${round.label}: `;
  const rows: BenchRow[] = [
    { metric: `${t}records examined`, value: examined, unit: 'records' },
    {
      metric: `${t}records examined per second`,
      value: Math.round(examined / (ms / 1000)),
      unit: 'records/s',
    },
    { metric: `${t}total time`, value: Math.round(ms), unit: 'ms' },
    {
      metric: `${t}CPU time of this process (sync, connectors, loopback servers, embedded-mongo)`,
      value: Math.round((used.user + used.system) / 1000),
      unit: 'ms',
    },
    {
      metric: `${t}loopback servers’ share of this process’s CPU time`,
      value: Math.round((fakeMs / cpuMs) * 100),
      unit: '%',
    },
    ...requestRows(t, 'BC', fakes.bc.requests, CHANGED, BATCH.bc, round),
    ...requestRows(t, 'Dataverse', fakes.dv.requests, CHANGED, BATCH.dv, round),
    perThousand(
      `${t}Dataverse requests per record written (all)`,
      dvAll,
      CHANGED,
      round.full ? undefined : 0.05,
    ),
    perThousand(`${t}Dataverse requests per record written (writes only)`, dvWrites, CHANGED, 0.05),
    perThousand(`${t}BC requests per record written (all)`, fakes.bc.requests.length, CHANGED),
    {
      metric: `${t}records synchronized (2,000 edited, checked on the servers)`,
      value: synchronized,
      unit: 'records',
      target: `${2 * CHANGED}, counters exact`,
      pass: synchronized === 2 * CHANGED && exact,
    },
    {
      metric: `${t}BC max requests in flight`,
      value: peak.bc,
      unit: 'requests',
      target: `≤ ${CAPS.bc}`,
      pass: peak.bc <= CAPS.bc,
    },
    {
      metric: `${t}Dataverse max requests in flight`,
      value: peak.dv,
      unit: 'requests',
      target: `≤ ${CAPS.dv}`,
      pass: peak.dv <= CAPS.dv,
    },
  ];
  if (round.throttleEvery > 0)
    rows.push({ metric: `${t}429 answers honoured`, value: throttled, unit: 'responses' });
  return { rows, message: job.message };
}

/**
 * Read and write requests one system received, beside their goals: a full sync reads ≤ 5 times per
 * system; a modified sync ≤ 10 times per 1,000 changed records; writes are the minimum number of $batch
 * requests for the records written (not checked under throttling, where retries add requests).
 */
function requestRows(
  t: string,
  system: string,
  requests: ReadonlyArray<{ method: string }>,
  written: number,
  perBatch: number,
  round: Round,
): BenchRow[] {
  const reads = requests.filter((r) => r.method === 'GET').length;
  const writes = requests.length - reads;
  const minimum = Math.ceil(written / perBatch);
  const readRow: BenchRow = round.full
    ? {
        metric: `${t}${system} read requests`,
        value: reads,
        unit: 'requests',
        target: '≤ 5',
        pass: reads <= 5,
      }
    : {
        metric: `${t}${system} read requests per 1,000 changed records`,
        value: reads / ((2 * CHANGED) / 1000),
        unit: 'requests',
        target: '≤ 10',
        pass: reads / ((2 * CHANGED) / 1000) <= 10,
      };
  const writeRow: BenchRow = {
    metric: `${t}${system} write requests (${written.toLocaleString('en-US')} records written)`,
    value: writes,
    unit: 'requests',
    ...(round.throttleEvery > 0
      ? {}
      : { target: `= ${minimum} ($batch ≤ ${perBatch})`, pass: writes <= minimum }),
  };
  return [readRow, writeRow];
}

/**
 * 100,000 coupled customers, 1% edited on each side, one full synchronization: the BC requests it
 * makes against the 6,000 a user may make in 5 minutes.
 */
async function quotaScenario(
  fakes: Harness,
  bot: ComposedBot,
  db: Db,
): Promise<{ rows: BenchRow[]; note: string }> {
  await db.collection('couplings').deleteMany({});
  for (const set of ['customers'] as const)
    for (const row of fakes.bc.table(set).all()) fakes.bc.table(set).delete(String(row.id));
  for (const row of fakes.dv.table('accounts').all())
    fakes.dv.table('accounts').delete(String(row.accountid));
  const mapping = await bot.services.mappings.get('CUSTOMER');
  const links = await seed(fakes, bot, mapping, new CouplingRepository(db), BIG);
  const changed = BIG / 100;
  links
    .slice(0, changed)
    .forEach((c) => fakes.bc.table('customers').update(c.bcId, { phoneNumber: `+47 q ${c.bcNumber}` }));
  links
    .slice(changed, 2 * changed)
    .forEach((c) => fakes.dv.table('accounts').update(c.dvId, { address1_city: `Quota ${c.bcNumber}` }));
  fakes.bc.resetStats();
  fakes.dv.resetStats();
  const started = performance.now();
  const { job } = await bot.services.sync.synchronizeAll(ACTOR, 'CUSTOMER');
  const ms = performance.now() - started;
  const bc = fakes.bc.requests.length;
  const share = (bc / BC_QUOTA) * 100;
  const t = `full sync of ${BIG.toLocaleString('en-US')} coupled: `;
  const exact = job.counters.modified === 2 * changed && job.counters.failed === 0;
  return {
    rows: [
      {
        metric: `${t}BC requests (reads + $batch writes)`,
        value: bc,
        unit: 'requests',
        target: `≤ ${BC_QUOTA / 10}`,
        pass: bc <= BC_QUOTA / 10,
      },
      {
        metric: `${t}share of BC's 5-minute quota (6,000 per user)`,
        value: Math.round(share * 10) / 10,
        unit: '%',
        target: '≤ 10%',
        pass: share <= 10,
      },
      {
        metric: `${t}Dataverse requests (reads + $batch writes)`,
        value: fakes.dv.requests.length,
        unit: 'requests',
      },
      { metric: `${t}total time`, value: Math.round(ms), unit: 'ms' },
      {
        metric: `${t}records modified (1% edited on each side)`,
        value: job.counters.modified,
        unit: 'records',
        target: `${2 * changed}, none failed`,
        pass: exact,
      },
    ],
    note: `${t}${job.message}`,
  };
}

/** Shown per 1,000 records written: per record the ratio rounds to 0 in the table. */
function perThousand(metric: string, requests: number, written: number, target?: number): BenchRow {
  const row: BenchRow = { metric, value: (requests / written) * 1000, unit: 'req/1,000 records' };
  if (target === undefined) return row;
  return { ...row, target: `≤ ${target * 1000} (${target}/record)`, pass: requests / written <= target };
}

const total = (c: JobCounters): number => Object.values(c).reduce((a, b) => a + b, 0);

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...page);
  return all;
}

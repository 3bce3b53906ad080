import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { startEmbeddedMongo } from '../embedded-mongo/index.js';
import { createAuditLog } from '../core/audit/audit-log.js';
import { CouplingRepository, ensureCouplingIndexes } from '../core/coupling/coupling-repository.js';
import { createJobRepository } from '../core/jobs/job-repository.js';
import { createMappingService } from '../core/mappings/mapping-service.js';
import { valuesImpliedByFilter } from '../core/mappings/filter-defaults.js';
import type { Coupling } from '../core/model/coupling.js';
import type { IntegrationTableMapping } from '../core/model/mapping.js';
import type { JobCounters } from '../core/model/job.js';
import type { Fields } from '../core/model/record.js';
import { createRoles } from '../core/roles.js';
import { dvDoc, type SandboxDoc } from '../connectors/sandbox/documents.js';
import { generateSynthetic } from '../connectors/sandbox/generator.js';
import { SandboxBusinessCentral } from '../connectors/sandbox/sandbox-business-central.js';
import { SandboxDataverse } from '../connectors/sandbox/sandbox-dataverse.js';
import { ensureIndexes } from '../core/store/indexes.js';
import { snapshotOf } from '../core/sync/change-detection.js';
import type { SyncDeps } from '../core/sync/deps.js';
import { computePatch } from '../core/sync/fields.js';
import { SyncErrorRepository } from '../core/sync/sync-error-repository.js';
import { createSyncService, type SyncService } from '../core/sync/sync-service.js';
import { lookupOf } from '../core/sync/lookups.js';
import type { BenchRow, BenchSection } from './types.js';
import { FakeClock } from '../test/kit/clock.js';

/**
 * Issue 4's benchmark: 10,000 coupled customers, 10% changed in Business Central and another 10% in
 * Dataverse, synchronized through the sandbox connectors on embedded-mongo. Records examined per second,
 * and how the time splits between change detection (reading both sides and comparing) and writing
 * (both systems' batched updates plus the couplings' sync state). The job counters must be exact.
 */
const N = 10_000;
const CHANGED = N / 10;
const COMPANY = '8f4c2a61-3b7e-4d09-9c15-2e6a7b1d5f30';
const ACTOR = { id: 'bench', name: 'Benchmark' };

/** Milliseconds spent inside the write calls, accumulated across a run. */
class WriteTimer {
  ms = 0;
  wrap<T extends object>(target: T, methods: readonly string[]): T {
    return new Proxy(target, {
      get: (t, prop, receiver) => {
        const v = Reflect.get(t, prop, receiver) as unknown;
        if (typeof v !== 'function') return v;
        if (!methods.includes(String(prop))) return v.bind(t);
        return async (...args: unknown[]) => {
          const start = performance.now();
          try {
            return await (v as (...a: unknown[]) => Promise<unknown>).apply(t, args);
          } finally {
            this.ms += performance.now() - start;
          }
        };
      },
    });
  }
}

/** 10,000 customers, their accounts with the same mapped values, coupled and in step. */
async function seed(
  db: Db,
  clock: FakeClock,
  mapping: IntegrationTableMapping,
  couplings: CouplingRepository,
) {
  await generateSynthetic(db, { customers: N, accounts: 0, companyId: COMPANY, clock, numberPrefix: 'B' });
  const bc = new SandboxBusinessCentral(db, { clock });
  const customers = [];
  for await (const page of bc.list('Customer', { pageSize: 5000 })) customers.push(...page);
  const implied = valuesImpliedByFilter(mapping.integrationTableFilter);
  const dvDocs: SandboxDoc[] = [];
  const links: Coupling[] = [];
  customers.forEach((c, i) => {
    const fields: Fields = {
      ...implied,
      // Look-up columns (owner, currency, primary contact) need couplings the seed does not make.
      ...computePatch(mapping.fields, 'ToIntegrationTable', c.fields, null, {
        include: (fm) => !lookupOf(fm),
      }).fields,
    };
    const doc = dvDoc('account', `acc-${String(i).padStart(6, '0')}`, fields, clock.now(), '1');
    dvDocs.push(doc);
    links.push({
      mapping: mapping.name,
      bcId: c.id,
      bcNumber: c.number,
      dvId: doc._id,
      lastSyncedBcModifiedOn: c.modifiedOn,
      lastSyncedDvModifiedOn: doc.modifiedOn,
      lastSyncResultBc: 'Success',
      lastSyncResultDv: 'Success',
      lastJobId: null,
      skipped: false,
      coupledAt: clock.now(),
      coupledBy: 'bench',
      origin: 'bench',
      lastSyncedValues: snapshotOf(mapping.fields, c.fields, fields),
    });
  });
  for (let i = 0; i < dvDocs.length; i += 2000) {
    await db.collection<SandboxDoc>('dv.account').insertMany(dvDocs.slice(i, i + 2000), { ordered: false });
  }
  await couplings.bulkInsert(links);
  return links;
}

/** People edit 10% of the customers in BC and another 10% of the accounts in Dataverse. */
async function edit(deps: SyncDeps, links: readonly Coupling[], round: number): Promise<void> {
  const offset = (round * 2 * CHANGED) % N;
  const inBc = links.slice(offset, offset + CHANGED);
  const inDv = links.slice(offset + CHANGED, offset + 2 * CHANGED);
  await deps.bc.updateMany(
    'Customer',
    inBc.map((c) => ({ id: c.bcId, fields: { 'Phone No.': `+47 ${round} ${c.bcNumber}` } })),
  );
  await deps.dv.updateMany(
    'account',
    inDv.map((c) => ({ id: c.dvId, fields: { address1_city: `City ${round}` } })),
  );
}

const exact = (c: JobCounters, want: Partial<JobCounters>): boolean =>
  (Object.keys(c) as Array<keyof JobCounters>).every((k) => c[k] === (want[k] ?? 0));

async function timed(sync: SyncService, writes: WriteTimer, full: boolean) {
  writes.ms = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  const r = full
    ? await sync.synchronizeAll(ACTOR, 'CUSTOMER')
    : await sync.synchronizeModified(ACTOR, 'CUSTOMER');
  const used = process.cpuUsage(cpu);
  return { r, ms: performance.now() - start, writeMs: writes.ms, cpuMs: (used.user + used.system) / 1000 };
}

export async function run(): Promise<BenchSection> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-sync-'));
  const server = await startEmbeddedMongo({ dbPath: dir });
  const client = await new MongoClient(server.uri).connect();
  try {
    const db = client.db('bench_sync');
    await ensureIndexes(db);
    await ensureCouplingIndexes(db);
    const clock = FakeClock.at(); // moved by hand: edits, runs and high-water marks in a known order
    const roles = createRoles([ACTOR.id]); // full synchronization is a manager's
    const audit = createAuditLog({ db, clock });
    const mappings = createMappingService({ db, roles, audit, clock, companyId: COMPANY });
    await mappings.seedDefaults();
    const mapping = await mappings.get('CUSTOMER');
    const writes = new WriteTimer();
    const couplings = new CouplingRepository(db);
    const deps: SyncDeps = {
      bc: writes.wrap(new SandboxBusinessCentral(db, { clock }), ['updateMany', 'createMany']),
      dv: writes.wrap(new SandboxDataverse(db, { clock }), ['updateMany', 'createMany']),
      mappings,
      couplings: writes.wrap(couplings, ['setSyncStates']),
      jobs: createJobRepository({ db, clock }),
      errors: new SyncErrorRepository(db, clock.now),
      audit,
      roles,
      clock,
    };
    const sync = createSyncService(deps);
    const links = await seed(db, clock, mapping, couplings);

    clock.advanceMinutes(10);
    await edit(deps, links, 1);
    clock.advanceMinutes(10);
    const load = loadavg();
    const full = await timed(sync, writes, true);
    clock.advanceMinutes(10);
    await edit(deps, links, 2);
    clock.advanceMinutes(10);
    const modified = await timed(sync, writes, false);
    clock.advanceMinutes(10);
    const echo = await timed(sync, writes, false);

    const fullRate = N / (full.ms / 1000);
    const fullOk = exact(full.r.job.counters, { modified: 2 * CHANGED, unchanged: N - 2 * CHANGED });
    const modOk = exact(modified.r.job.counters, { modified: 2 * CHANGED });
    const echoOk = exact(echo.r.job.counters, {});
    const detect = full.ms - full.writeMs;
    const rows: BenchRow[] = [
      { metric: 'full sync: coupled records examined', value: N, unit: 'records' },
      {
        metric: 'full sync: records examined per second',
        value: Math.round(fullRate),
        unit: 'records/s',
        target: '≥ 2,000',
        pass: fullRate >= 2000,
      },
      { metric: 'full sync: total time', value: Math.round(full.ms), unit: 'ms' },
      {
        metric: 'full sync: CPU time of this process (sync + embedded server)',
        value: Math.round(full.cpuMs),
        unit: 'ms',
      },
      {
        metric: 'full sync: records examined per CPU second',
        value: Math.round(N / (full.cpuMs / 1000)),
        unit: 'records/s',
      },
      {
        metric: 'full sync: change detection (read + compare)',
        value: Math.round(detect),
        unit: `ms (${Math.round((100 * detect) / full.ms)}%)`,
      },
      {
        metric: 'full sync: writing (2,000 updates + sync state)',
        value: Math.round(full.writeMs),
        unit: `ms (${Math.round((100 * full.writeMs) / full.ms)}%)`,
      },
      {
        metric: 'full sync: counters exactly 2,000 Modified + 8,000 Unchanged',
        value: fullOk ? 1 : 0,
        unit: 'ok',
        target: 'exact',
        pass: fullOk,
      },
      {
        metric: 'modified sync: records per second (2,000 changed)',
        value: Math.round((2 * CHANGED) / (modified.ms / 1000)),
        unit: 'records/s',
      },
      { metric: 'modified sync: total time', value: Math.round(modified.ms), unit: 'ms' },
      { metric: 'modified sync: writing', value: Math.round(modified.writeMs), unit: 'ms' },
      {
        metric: 'modified sync: counters exactly 2,000 Modified',
        value: modOk ? 1 : 0,
        unit: 'ok',
        target: 'exact',
        pass: modOk,
      },
      {
        metric: 'next modified sync: records echoed back',
        value: Object.values(echo.r.job.counters).reduce((a, b) => a + b, 0),
        unit: 'records',
        target: '0',
        pass: echoOk,
      },
    ];
    return {
      title:
        'Synchronization: 10,000 coupled customers, 10% changed on each side (sandbox on embedded-mongo)',
      rows,
      notes: [
        `load average when the full sync started: ${load.map((l) => l.toFixed(1)).join(' / ')} (1/5/15 min) on ${cpus().length} CPUs; wall-clock rates fall when other work shares them`,
        `full sync job: ${full.r.job.message}`,
        `modified sync job: ${modified.r.job.message}`,
        'change detection = total time minus time inside updateMany/createMany and the coupling sync-state bulk write',
      ],
    };
  } finally {
    await client.close();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

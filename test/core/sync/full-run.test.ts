import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { valuesImpliedByFilter } from '../../../core/mappings/filter-defaults.js';
import type { Coupling } from '../../../core/model/coupling.js';
import type { BcRecord } from '../../../core/model/record.js';
import { snapshotOf } from '../../../core/sync/change-detection.js';
import { computePatch } from '../../../core/sync/fields.js';
import { lookupOf } from '../../../core/sync/lookups.js';
import { startHarness, type Harness, type HarnessOptions } from '../../kit/loopback/harness.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';
import { MANAGER, world, type World } from './world.js';

/**
 * Full synchronization over the HTTP connectors (loopback BC and Dataverse): when most of a table is
 * coupled, each side is read page by page instead of by id, and the outcome is what reads by id gave.
 */
let t: TestDb;
let h: Harness | undefined;
beforeAll(async () => {
  t = await useTestDb();
});
afterEach(async () => {
  await h?.close();
  h = undefined;
});
afterAll(async () => t.cleanup());

const nonZero = (c: Record<string, number>) => Object.fromEntries(Object.entries(c).filter(([, v]) => v > 0));

async function all<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...page);
  return out;
}

interface Coupled {
  w: World;
  fakes: Harness;
  links: Coupling[];
}

/** `n` customers in the fake BC, their accounts in the fake Dataverse, coupled and in step. */
async function coupledOverHttp(
  n: number,
  options: HarnessOptions = {},
  extra: Record<string, unknown>[] = [],
) {
  const fakes = await startHarness(options);
  h = fakes;
  const ports = fakes.connect();
  const w = await world(t.db, {
    wrap: () => ({ bc: ports.businessCentral, dv: ports.dataverse }),
    batchSize: 100,
  });
  const mapping = await w.mappings.get('CUSTOMER');
  fakes.bc.seed('customers', [
    ...Array.from({ length: n }, (_, i) => ({
      number: `C${String(i).padStart(5, '0')}`,
      displayName: `Customer ${i}`,
      phoneNumber: '100',
      city: 'Oslo',
      currencyCode: '',
      blocked: ' ',
    })),
    ...extra,
  ]);
  const customers: BcRecord[] = await all(ports.businessCentral.list('Customer', { pageSize: 20_000 }));
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
      return {
        ...columns,
        _transactioncurrencyid_value: transactioncurrencyid || null,
        _bcbi_companyid_value: bcbi_companyid ?? null,
      };
    }),
  );
  const accounts = new Map(
    (await all(ports.dataverse.list('account', []))).map((a) => [a.fields.accountnumber, a]),
  );
  const links = customers.map((c): Coupling => {
    const a = accounts.get(c.number);
    if (!a) throw new Error(`no account for ${c.number}`);
    return {
      mapping: 'CUSTOMER',
      bcId: c.id,
      bcNumber: c.number,
      dvId: a.id,
      lastSyncedBcModifiedOn: c.modifiedOn,
      lastSyncedDvModifiedOn: a.modifiedOn,
      lastSyncResultBc: 'Success',
      lastSyncResultDv: 'Success',
      lastJobId: null,
      skipped: false,
      coupledAt: w.clock.now(),
      coupledBy: 'test',
      origin: 'manual',
      lastSyncedValues: snapshotOf(mapping.fields, c.fields, a.fields),
    };
  });
  await w.couplings.bulkInsert(links);
  w.clock.advanceMinutes(5);
  fakes.bc.resetStats();
  fakes.dv.resetStats();
  return { w, fakes, links } satisfies Coupled;
}

/** Reads of the customer and account tables (look-up reference reads such as companyInformation aside). */
const gets = (server: Pick<Harness['bc'], 'requests'>) =>
  server.requests.filter(
    (r) =>
      r.method === 'GET' &&
      (/\/(customers|accounts)(\/\$count)?$/.test(r.path) || r.path.includes('RetrieveTotalRecordCount')),
  );

describe('full synchronization over HTTP', () => {
  it('reads each whole table page by page (mapped fields only) when most of it is coupled, and synchronizes the same changes', async () => {
    // Request counts are the point here: Dataverse pages at its own maximum, BC at 250.
    const { w, fakes, links } = await coupledOverHttp(600, {
      bc: { serverPageSize: 250 },
      dv: { serverPageSize: 5000 },
    });
    for (const c of links.slice(0, 3))
      fakes.bc.table('customers').update(c.bcId, { phoneNumber: `+47 ${c.bcNumber}` });
    for (const c of links.slice(3, 6))
      fakes.dv.table('accounts').update(c.dvId, { address1_city: `City ${c.bcNumber}` });

    const { job } = await w.sync.synchronizeAll(MANAGER, 'CUSTOMER');

    expect(nonZero(job.counters)).toEqual({ modified: 6, unchanged: 594 });
    for (const c of links.slice(0, 3))
      expect(fakes.dv.table('accounts').get(c.dvId)?.telephone1).toBe(`+47 ${c.bcNumber}`);
    for (const c of links.slice(3, 6))
      expect(fakes.bc.table('customers').get(c.bcId)?.city).toBe(`City ${c.bcNumber}`);
    // BC: $count, then 3 pages of 250 through @odata.nextLink, each with $select and no $filter.
    const bcReads = gets(fakes.bc);
    expect(bcReads.map((r) => r.path.endsWith('/$count'))).toEqual([true, false, false, false]);
    for (const r of bcReads.slice(1)) {
      expect(r.query.get('$select')?.split(',')).toEqual(
        expect.arrayContaining(['id', 'number', 'phoneNumber', 'blocked']),
      );
      expect(r.query.get('$filter')).toBeNull();
    }
    // Dataverse: RetrieveTotalRecordCount, then one page of 600 rows.
    expect(gets(fakes.dv).map((r) => r.path.includes('RetrieveTotalRecordCount'))).toEqual([true, false]);

    // Nothing is echoed: a second full run finds everything unchanged and writes nothing.
    fakes.bc.resetStats();
    fakes.dv.resetStats();
    const again = await w.sync.synchronizeAll(MANAGER, 'CUSTOMER');
    expect(nonZero(again.job.counters)).toEqual({ unchanged: 600 });
    expect([...fakes.bc.requests, ...fakes.dv.requests].filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('reads by id, without counting, when the coupled records fit in one request', async () => {
    // Request counts are the point here: both services page at their own maxima.
    const { w, fakes, links } = await coupledOverHttp(40, {
      bc: { serverPageSize: 20_000 },
      dv: { serverPageSize: 5000 },
    });
    fakes.bc.table('customers').update(links[0]!.bcId, { phoneNumber: '+47 1' });
    const { job } = await w.sync.synchronizeAll(MANAGER, 'CUSTOMER');
    expect(nonZero(job.counters)).toEqual({ modified: 1, unchanged: 39 });
    expect(gets(fakes.bc)).toHaveLength(1);
    expect(gets(fakes.bc)[0]?.query.get('$filter')).toMatch(/^id eq [0-9a-f-]{36} or id eq /);
    expect(gets(fakes.dv)).toHaveLength(1);
  });

  it('takes a record absent from a complete read as deleted, but not one outside the filters', async () => {
    const outside = {
      number: 'X00001',
      displayName: 'Blocked customer',
      phoneNumber: '1',
      city: 'Oslo',
      currencyCode: '',
      blocked: 'All',
    };
    const { w, fakes, links } = await coupledOverHttp(400, {}, [outside]);
    const blocked = links.find((c) => c.bcNumber === 'X00001')!;
    const [goneInBc, goneInDv] = [links[10]!, links[20]!];
    fakes.bc.table('customers').delete(goneInBc.bcId);
    fakes.dv.table('accounts').delete(goneInDv.dvId);
    // The blocked customer's account changes too: outside the Table Filter, it is not synchronized.
    fakes.dv.table('accounts').update(blocked.dvId, { address1_city: 'Bergen' });

    const { job } = await w.sync.synchronizeAll(MANAGER, 'CUSTOMER');

    expect(gets(fakes.bc)[0]?.path).toMatch(/\/\$count$/);
    expect(nonZero(job.counters)).toEqual({ failed: 2, unchanged: 398 });
    const open = await w.errors.listOpen({ mapping: 'CUSTOMER' });
    expect(open.map((e) => [e.bcNumber, e.kind, e.missingSide]).sort()).toEqual(
      [
        [goneInBc.bcNumber, 'deletion', 'bc'],
        [goneInDv.bcNumber, 'deletion', 'dv'],
      ].sort(),
    );
    expect(await w.couplings.getByBcId('CUSTOMER', blocked.bcId)).not.toBeNull();
    expect(fakes.bc.table('customers').get(blocked.bcId)?.city).toBe('Oslo');
  });

  it.each([
    ['Business Central', 'bc'],
    ['Dataverse', 'dv'],
  ] as const)('never takes an incomplete %s read as deletions', async (_system, side) => {
    const { w, fakes, links } = await coupledOverHttp(600, {
      bc: { serverPageSize: 200 },
      dv: { serverPageSize: 200 },
    });
    // A record on a page the run never gets to, and the listing failing on its second page.
    const last = links[links.length - 1]!;
    fakes.bc.table('customers').update(last.bcId, { phoneNumber: '+47 late' });
    const server = side === 'bc' ? fakes.bc : fakes.dv;
    server.failNext(
      {
        kind: 'status',
        status: 400,
        body: { error: { code: 'BadRequest', message: 'The page could not be read.' } },
      },
      (r) => r.query.has('$skiptoken'),
    );

    const { job } = await w.sync.synchronizeAll(MANAGER, 'CUSTOMER');

    expect(job.status).toBe('Failed');
    expect(job.message).toMatch(/The page could not be read/);
    expect(job.counters.failed + job.counters.uncoupled + job.counters.deleted).toBe(0);
    expect(await w.errors.listOpen({ mapping: 'CUSTOMER' })).toEqual([]);
    expect(await w.couplings.count('CUSTOMER')).toBe(600);
    // Dataverse is read before anything is written: its failure leaves both systems untouched.
    if (side === 'dv') expect(fakes.bc.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});

import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { valuesImpliedByFilter } from '../../../../core/mappings/filter-defaults.js';
import type { Coupling } from '../../../../core/model/coupling.js';
import type { BcRecord } from '../../../../core/model/record.js';
import { snapshotOf } from '../../../../core/sync/change-detection.js';
import { computePatch } from '../../../../core/sync/fields.js';
import { lookupOf } from '../../../../core/sync/lookups.js';
import { PreviewRepository } from '../../../../core/sync/preview/preview-repository.js';
import { createPreviewService } from '../../../../core/sync/preview/preview-service.js';
import type { SeenRequest } from '../../../kit/loopback/fake-base.js';
import { startHarness, type Harness } from '../../../kit/loopback/harness.js';
import { useTestDb, type TestDb } from '../../../support/test-mongo.js';
import { MANAGER, world } from '../world.js';

/**
 * A full synchronization that reads both tables page by page (most of the table coupled), previewed
 * over the HTTP connectors: the paged path of the engine, dry, sends not one write, and the run that
 * follows does what the preview counted.
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

async function all<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...page);
  return out;
}

const writes = (r: SeenRequest): boolean =>
  r.method !== 'GET' && !(r.path.endsWith('$batch') && !/^(PATCH|POST|PUT|DELETE) /m.test(r.body));

it(
  'a paged full synchronization previewed over HTTP writes nothing and counts what the run then does',
  { timeout: 60_000 },
  async () => {
    const fakes = await startHarness();
    h = fakes;
    const ports = fakes.connect();
    const w = await world(t.db, {
      wrap: () => ({ bc: ports.businessCentral, dv: ports.dataverse }),
      batchSize: 100,
    });
    const mapping = await w.mappings.get('CUSTOMER');
    const customer = (i: number) => ({
      number: `C${String(i).padStart(5, '0')}`,
      displayName: `Customer ${i}`,
      phoneNumber: '100',
      city: 'Oslo',
      currencyCode: '',
      blocked: ' ',
    });
    fakes.bc.seed(
      'customers',
      Array.from({ length: 300 }, (_, i) => customer(i)),
    );
    const customers: BcRecord[] = await all(ports.businessCentral.list('Customer', { pageSize: 20_000 }));
    const implied = valuesImpliedByFilter(mapping.integrationTableFilter);
    const mapped = mapping.fields.filter((f) => !lookupOf(f));
    fakes.dv.seed(
      'accounts',
      customers.map((c) => {
        const fields = { ...implied, ...computePatch(mapped, 'ToIntegrationTable', c.fields, null).fields };
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
      const a = accounts.get(c.number)!;
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
    // Changes on each side and a deleted partner.
    for (const c of customers.slice(0, 4)) fakes.bc.table('customers').update(c.id, { phoneNumber: '+47 1' });
    for (const c of customers.slice(10, 13))
      fakes.dv.table('accounts').update(accounts.get(c.number)!.id, { telephone1: '+47 2' });
    fakes.dv.table('accounts').delete(accounts.get(customers[20]!.number)!.id);

    const previews = createPreviewService({ ...w.deps, previews: new PreviewRepository(t.db) });
    fakes.bc.resetStats();
    fakes.dv.resetStats();
    const p = await previews.previewSync(MANAGER, 'CUSTOMER', true);
    expect([...fakes.bc.requests, ...fakes.dv.requests].filter(writes)).toEqual([]);
    // The paged path: the customer table was listed whole, not looked up by id.
    const listed = fakes.bc.requests.filter((r) => /\/customers$/.test(r.path) && !r.query.get('$filter'));
    expect(listed.length).toBeGreaterThan(0);
    expect(p.summary.modifiedInDataverse.count).toBe(4);
    expect(p.summary.modifiedInBusinessCentral.count).toBe(3);
    expect(p.summary.errors.examples[0]?.message).toMatch(
      /The account coupled to Customer C00020 was deleted in Dataverse/,
    );

    const real = await w.sync.synchronizeAll(MANAGER, 'CUSTOMER');
    expect(real.job.counters).toEqual(p.counters);
  },
);

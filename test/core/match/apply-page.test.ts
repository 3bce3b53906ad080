import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';
import { customer, manager, matchHarness } from './harness.js';

let t: TestDb;
let n = 0;
beforeAll(async () => {
  t = await useTestDb();
});
afterAll(() => t.cleanup());

describe("match's Create New and lookups", () => {
  it('sends Currency Code as the coupled transactioncurrency id; an uncoupled currency fails that row alone', async () => {
    const h = await matchHarness(t.client.db(`apply-page${++n}`));
    const eur = await h.deps.dv.create('transactioncurrency', {
      isocurrencycode: 'EUR',
      currencyname: 'Euro',
    });
    const [eurBc] = await h.deps.bc.createMany('Currency', [{ Code: 'EUR', Description: 'Euro' }]);
    if (!eurBc?.ok) throw new Error('no BC currency');
    await h.deps.couplings.bulkInsert([
      {
        mapping: 'CURRENCY',
        bcId: eurBc.value.id,
        bcNumber: 'EUR',
        dvId: eur.id,
        lastSyncedBcModifiedOn: null,
        lastSyncedDvModifiedOn: null,
        lastSyncResultBc: null,
        lastSyncResultDv: null,
        lastJobId: null,
        skipped: false,
        coupledAt: h.clock.now(),
        coupledBy: 'test',
        origin: 'manual',
      },
    ]);
    await h.addCustomers([
      customer('10000', 'Euro Traders', { 'Currency Code': 'EUR' }),
      customer('20000', 'Loonie Traders', { 'Currency Code': 'CAD' }),
    ]);
    const run = await h.service.proposeRun(manager, 'CUSTOMER', { createNew: true });
    expect(run.counts).toMatchObject({ wouldCreate: 2 });

    const outcome = await h.service.approve(manager, run.id, { all: true });
    expect(outcome.run.applied).toEqual({ coupled: 1, created: 1, skipped: 0, failed: 1 });
    const [coupling] = await h.couplingsOf();
    expect(coupling?.bcNumber).toBe('10000');
    expect((await h.deps.dv.get('account', coupling?.dvId ?? ''))?.fields['transactioncurrencyid']).toBe(
      eur.id,
    );
    const failed = (await h.service.getRowsPage(run.id, 0)).rows.find((r) => r.outcome.bc.number === '20000');
    expect(failed?.result).toMatchObject({
      status: 'failed',
      reason:
        'Currency Code CAD cannot be written to transactioncurrencyid: Currency CAD is not coupled to a ' +
        'Dataverse currency; couple it first: couple currency CAD.',
    });
  });
});

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
  it('sends Currency Code by ISO code with no coupling; a currency Dataverse lacks fails that row alone', async () => {
    const h = await matchHarness(t.client.db(`apply-page${++n}`));
    const eur = await h.deps.dv.create('transactioncurrency', {
      isocurrencycode: 'EUR',
      currencyname: 'Euro',
    });
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
      reason: expect.stringMatching(
        /^Dataverse has no currency CAD: add it in Dataverse, or synchronize currencies/,
      ),
    });
  });
});

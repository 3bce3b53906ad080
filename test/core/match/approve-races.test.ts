import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../core/errors.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';
import {
  account,
  customer,
  manager,
  manager2,
  matchHarness,
  SANDBOX_COMPANY_ID,
  threeProposals,
} from './harness.js';

let t: TestDb;
let n = 0;
beforeAll(async () => {
  t = await useTestDb();
});
afterAll(() => t.cleanup());
const fresh = () => matchHarness(t.client.db(`races${++n}`));

describe('approval under concurrency and change', () => {
  it('20 concurrent approvals of one run: exactly one applies, 19 are told who was first', async () => {
    const h = await fresh();
    const { run, rowId } = await threeProposals(h);
    const everyRow = { rowIds: ['10000', '20000', '30000'].map(rowId) };
    const clicks = Array.from({ length: 20 }, (_, i) =>
      h.service.approve(i % 2 === 0 ? manager : manager2, run.id, i % 3 === 0 ? everyRow : { all: true }),
    );
    const settled = await Promise.allSettled(clicks);
    const won = settled.filter((s) => s.status === 'fulfilled');
    const lost = settled.flatMap((s) =>
      s.status === 'rejected' ? [s.reason as { code: string; message: string }] : [],
    );
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    const decider = (await h.service.getRun(run.id)).decidedBy?.name;
    expect([manager.name, manager2.name]).toContain(decider);
    for (const e of lost) {
      expect(e.code).toBe(ErrorCode.AlreadyDecided);
      expect(e.message).toBe(`This match run was already approved by ${decider} at 2025-03-01 09:00 UTC.`);
    }
    expect(await h.couplingsOf()).toHaveLength(3);
    const jobs = await h.jobs.listRecent({ type: 'Coupling' });
    expect(jobs).toHaveLength(1);
  });

  it('a row coupled by someone else between proposal and approval is skipped with the reason', async () => {
    const h = await fresh();
    const { run, bc, dv } = await threeProposals(h);
    const [elsewhere] = await h.addAccounts([
      { name: 'Adatum (manual)', customertypecode: 3, bcbi_companyid: SANDBOX_COMPANY_ID },
    ]);
    const [otherCustomer] = await h.addCustomers([customer('90000', 'Someone Else')]);
    const manual = (bcId: string, bcNumber: string, dvId: string) => ({
      mapping: 'CUSTOMER',
      bcId,
      bcNumber,
      dvId,
      lastSyncedBcModifiedOn: null,
      lastSyncedDvModifiedOn: null,
      lastSyncResultBc: null,
      lastSyncResultDv: null,
      lastJobId: null,
      skipped: false,
      coupledAt: new Date(),
      coupledBy: 'Diego',
      origin: 'manual',
    });
    // BC side coupled elsewhere, and the Dataverse side of another proposal taken by another customer.
    await h.deps.couplings.bulkInsert([
      manual(bc['adatum'] as string, '10000', elsewhere as string),
      manual(otherCustomer as string, '90000', dv['trey'] as string),
    ]);
    const outcome = await h.service.approve(manager, run.id, { all: true });
    expect(outcome.run.applied).toEqual({ coupled: 1, created: 0, skipped: 2, failed: 0 });
    const rows = (await h.service.getRowsPage(run.id, 0, { kind: 'proposed' })).rows;
    const reasons = Object.fromEntries(rows.map((r) => [r.outcome.bc.number, r.result?.reason]));
    expect(reasons).toEqual({
      '10000': `Coupled meanwhile to account ${elsewhere}.`,
      '20000': `account ${dv['trey']} was coupled meanwhile to Customer 90000.`,
      '30000': 'Coupled.',
    });
    expect(outcome.coupled).toEqual([{ bcId: bc['fineArt'], dvId: dv['fineArt'] }]);
  });

  it('Create New creates the account with company id and type code, then couples it', async () => {
    const h = await fresh();
    await h.addCustomers([customer('10000', 'Brand New Ltd', { 'E-Mail': 'hi@brandnew.com', City: 'Oslo' })]);
    const run = await h.service.proposeRun(manager, 'CUSTOMER', {
      createNew: true,
      syncAfterCoupling: 'Yes - Use the Business Central data',
    });
    expect(run.counts).toMatchObject({ wouldCreate: 1, proposed: 0 });
    const outcome = await h.service.approve(manager, run.id, { all: true });
    expect(outcome.run.applied).toEqual({ coupled: 1, created: 1, skipped: 0, failed: 0 });
    const [coupling] = await h.couplingsOf();
    const created = await h.deps.dv.get('account', coupling?.dvId as string);
    expect(created?.fields).toMatchObject({
      name: 'Brand New Ltd',
      emailaddress1: 'hi@brandnew.com',
      address1_city: 'Oslo',
      accountnumber: '10000',
      customertypecode: 3,
      statecode: 0,
      bcbi_companyid: SANDBOX_COMPANY_ID,
    });
    expect(outcome).toMatchObject({ syncAfterCoupling: 'Yes - Use the Business Central data' });
    expect(outcome.coupled).toEqual([{ bcId: coupling?.bcId, dvId: coupling?.dvId }]);
    expect((await h.jobs.get(outcome.jobId))?.counters).toMatchObject({ coupled: 1, inserted: 1 });
  });

  it('two proposals of the same mapping: the second approval skips what the first coupled', async () => {
    const h = await fresh();
    const first = await threeProposals(h);
    const second = await h.service.proposeRun(manager, 'CUSTOMER');
    await h.service.approve(manager, first.run.id, { all: true });
    const outcome = await h.service.approve(manager2, second.id, { all: true });
    expect(outcome.run.applied).toEqual({ coupled: 0, created: 0, skipped: 3, failed: 0 });
    const rows = (await h.service.getRowsPage(second.id, 0, { kind: 'proposed' })).rows;
    expect(rows[0]?.result?.reason).toBe(`Coupled meanwhile, as proposed (match:${first.run.id}).`);
    expect(outcome.coupled).toEqual([]);
    expect(await h.couplingsOf()).toHaveLength(3);
    await h.addAccounts([account('Late Arrival')]);
    expect((await h.service.proposeRun(manager, 'CUSTOMER')).counts).toMatchObject({
      skipped: 3,
      noMatch: 1,
    });
  });
});

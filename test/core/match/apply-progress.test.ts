import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobProgress } from '../../../core/jobs/job-progress.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';
import { customer, manager, matchHarness, threeProposals } from './harness.js';

let t: TestDb;
let n = 0;
beforeAll(async () => {
  t = await useTestDb();
});
afterAll(() => t.cleanup());
const fresh = () => matchHarness(t.client.db(`apply-progress${++n}`));

describe('how far an approval got (its Coupling job counts the rows applied)', () => {
  it('Approve selected: the job expects the ticked rows and names itself once it exists', async () => {
    const h = await fresh();
    const { run, rowId } = await threeProposals(h);
    const heard: string[] = [];
    const outcome = await h.service.approve(
      manager,
      run.id,
      { rowIds: [rowId('10000'), rowId('30000')] },
      {
        onStarted: (jobId) => {
          heard.push(jobId);
        },
      },
    );
    expect(heard).toEqual([outcome.jobId]);
    const job = await h.jobs.get(outcome.jobId);
    expect(job?.total).toBe(2);
    expect(job && jobProgress(job)).toEqual({ done: 2, total: 2, percent: 100 });
  });

  it('a row created in Dataverse counts once, and a failed row counts as applied', async () => {
    const h = await fresh();
    await h.deps.dv.create('transactioncurrency', { isocurrencycode: 'EUR', currencyname: 'Euro' });
    await h.addCustomers([
      customer('10000', 'Euro Traders', { 'Currency Code': 'EUR' }),
      customer('20000', 'Loonie Traders', { 'Currency Code': 'CAD' }),
    ]);
    const run = await h.service.proposeRun(manager, 'CUSTOMER', { createNew: true });
    const outcome = await h.service.approve(manager, run.id, { all: true });
    const job = await h.jobs.get(outcome.jobId);
    expect(job?.counters).toMatchObject({ coupled: 1, inserted: 1, failed: 1 });
    expect(job && jobProgress(job)).toEqual({ done: 2, total: 2, percent: 100 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../core/errors.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';
import {
  account,
  customer,
  manager,
  manager2,
  matchHarness,
  refusal,
  user,
  type Harness,
} from './harness.js';

let t: TestDb;
let n = 0;
beforeAll(async () => {
  t = await useTestDb();
});
afterAll(() => t.cleanup());
const fresh = () => matchHarness(t.client.db(`near${++n}`));

/** One exact proposal (Adatum) and North Wind Traders, whose only partner is spelt differently. */
async function nearRun(h: Harness, criteria?: unknown) {
  const [, northWind] = await h.addCustomers([
    customer('10000', 'Adatum Corporation'),
    customer('20000', 'North Wind Traders', { 'Phone No.': '+1 425 555 0199' }),
  ]);
  const [, northwind, trading] = await h.addAccounts([
    account('Adatum Corporation'),
    account('Northwind Traders', { telephone1: '(425) 555-0199' }),
    account('Northwind Trading'),
  ]);
  const run = await h.service.proposeRun(manager, 'CUSTOMER', criteria);
  const rows = (await h.service.getRowsPage(run.id, 0)).rows;
  const row = rows.find((r) => r.outcome.bc.number === '20000');
  return { run, rowId: row?.rowId ?? 'missing', outcome: row?.outcome, northWind, northwind, trading };
}

describe('near candidates in a stored proposal', () => {
  it('are stored with the record nothing matched, best first, and counted apart from the matches', async () => {
    const h = await fresh();
    const { run, outcome, northwind, trading } = await nearRun(h);
    expect(run.counts).toMatchObject({ proposed: 1, noMatch: 1, near: 1 });
    expect(outcome).toMatchObject({
      kind: 'noMatch',
      near: [
        { dvId: northwind, dvName: 'Northwind Traders', score: 99 },
        { dvId: trading, dvName: 'Northwind Trading', score: 88 },
      ],
    });
  });
});

describe('approving a single near pair', () => {
  it('couples the pair as a Coupling job, leaves the run undecided, and Approve all applies only the proposal', async () => {
    const h = await fresh();
    const { run, rowId, northWind, northwind } = await nearRun(h);
    const done = await h.service.approveNear(manager, run.id, { rowId, dvId: northwind });
    expect(done).toMatchObject({ already: false, coupled: [{ bcId: northWind, dvId: northwind }] });
    expect(await h.couplingsOf()).toMatchObject([
      { bcNumber: '20000', dvId: northwind, origin: `match:${run.id}`, coupledBy: manager.name },
    ]);
    expect(await h.jobs.get(done.jobId)).toMatchObject({ type: 'Coupling', status: 'Finished' });
    expect((await h.service.getRun(run.id)).status).toBe('Proposed');
    const audit = await h.audit.list({ subject: `matchRun:${run.id}` });
    expect(audit.map((a) => a.action).sort()).toEqual(['match.approveNear', 'match.propose']);

    const approved = await h.service.approve(manager, run.id, { all: true });
    expect(approved.run.applied).toEqual({ coupled: 1, created: 0, skipped: 0, failed: 0 });
    expect((await h.couplingsOf()).map((c) => c.bcNumber).sort()).toEqual(['10000', '20000']);
  });

  it('is applied once when two managers click at once; the later click is told it is done', async () => {
    const h = await fresh();
    const { run, rowId, northwind } = await nearRun(h);
    const both = await Promise.allSettled([
      h.service.approveNear(manager, run.id, { rowId, dvId: northwind }),
      h.service.approveNear(manager2, run.id, { rowId, dvId: northwind }),
    ]);
    expect(both.map((b) => b.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(await h.couplingsOf()).toHaveLength(1);
    const later = await h.service.approveNear(manager, run.id, { rowId, dvId: northwind });
    expect(later).toMatchObject({ already: true, coupled: [] });
    expect(await h.couplingsOf()).toHaveLength(1);
  });

  it('a second candidate of a row already coupled to its near match is refused', async () => {
    const h = await fresh();
    const { run, rowId, northwind, trading } = await nearRun(h);
    await h.service.approveNear(manager, run.id, { rowId, dvId: northwind });
    const r = await refusal(() => h.service.approveNear(manager, run.id, { rowId, dvId: trading }));
    expect(r.message).toBe(
      '20000 was already coupled to its near match Northwind Traders. Nothing was changed.',
    );
  });

  it.each([
    ['a non-manager', 'user', {}, /^Only managers can approve a near match/],
    [
      'a row of no run',
      'manager',
      { rowId: '99:nobody' },
      /is not a row of this match run\. Nothing was changed\.$/,
    ],
    [
      'the exact proposal’s row',
      'manager',
      { rowId: 'proposal' },
      /was not proposed as a near match of 10000/,
    ],
    [
      'a Dataverse row that was not proposed',
      'manager',
      { dvId: 'adatum' },
      /was not proposed as a near match of 20000/,
    ],
    [
      'operator objects',
      'manager',
      { dvId: { $ne: null } },
      /^Choose a near match from the card\. Nothing was changed\.$/,
    ],
  ] as const)('%s is refused and nothing is coupled', async (_, who, change, message) => {
    const h = await fresh();
    const { run, rowId, northwind } = await nearRun(h);
    const rows = (await h.service.getRowsPage(run.id, 0)).rows;
    const proposalRow = rows.find((r) => r.outcome.kind === 'proposed')?.rowId;
    const adatum = rows.find((r) => r.outcome.kind === 'proposed')?.outcome;
    const pick: Record<string, unknown> = { rowId, dvId: northwind, ...change };
    if (pick['rowId'] === 'proposal') pick['rowId'] = proposalRow;
    if (pick['dvId'] === 'adatum' && adatum?.kind === 'proposed') pick['dvId'] = adatum.dvId;
    const r = await refusal(() => h.service.approveNear(who === 'user' ? user : manager, run.id, pick));
    expect(r.message).toMatch(message);
    expect(await h.couplingsOf()).toEqual([]);
  });

  it('after the run was decided, or expired, says so and couples nothing', async () => {
    const h = await fresh();
    const { run, rowId, northwind } = await nearRun(h);
    await h.service.reject(manager, run.id);
    const rejected = await refusal(() => h.service.approveNear(manager, run.id, { rowId, dvId: northwind }));
    expect(rejected.code).toBe(ErrorCode.AlreadyDecided);
    const h2 = await fresh();
    const second = await nearRun(h2);
    h2.clock.advanceHours(73);
    const expired = await refusal(() =>
      h2.service.approveNear(manager, second.run.id, { rowId: second.rowId, dvId: second.northwind }),
    );
    expect(expired.code).toBe(ErrorCode.Expired);
    expect([...(await h.couplingsOf()), ...(await h2.couplingsOf())]).toEqual([]);
  });

  it('refuses when the BC record was deleted meanwhile', async () => {
    const h = await fresh();
    const { run, rowId, northWind, northwind } = await nearRun(h);
    await h.deps.bc.delete('Customer', String(northWind));
    const r = await refusal(() => h.service.approveNear(manager, run.id, { rowId, dvId: northwind }));
    expect(r.message).toBe('Customer 20000 no longer exists in Business Central. Nothing was changed.');
    expect(await h.couplingsOf()).toEqual([]);
  });

  it('with Create New on, a record coupled to its near match is not created again by Approve all', async () => {
    const h = await fresh();
    const criteria = { fields: [{ bcField: 'Name', match: true }], createNew: true };
    const { run, rowId, northwind } = await nearRun(h, criteria);
    await h.service.approveNear(manager, run.id, { rowId, dvId: northwind });
    const approved = await h.service.approve(manager, run.id, { all: true });
    expect(approved.run.applied).toMatchObject({ coupled: 1, created: 0, skipped: 1 });
    const page = await h.service.getRowsPage(run.id, 0, { kind: 'wouldCreate' });
    expect(page.rows[0]?.result?.reason).toBe('Coupled to its near match Northwind Traders by Megan Bowen.');
    expect((await h.couplingsOf()).map((c) => [c.bcNumber, c.dvId]).sort()).toEqual([
      ['10000', expect.any(String)],
      ['20000', northwind],
    ]);
  });
});

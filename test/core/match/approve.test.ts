import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../core/errors.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';
import { manager, matchHarness, refusal, threeProposals, user } from './harness.js';

let t: TestDb;
let n = 0;
beforeAll(async () => {
  t = await useTestDb();
});
afterAll(() => t.cleanup());
const fresh = () => matchHarness(t.client.db(`approve${++n}`));

describe('approving and rejecting a match run', () => {
  it('Approve all couples every proposal, as a Coupling job with its counters', async () => {
    const h = await fresh();
    const { run, bc, dv } = await threeProposals(h);
    const outcome = await h.service.approve(manager, run.id, { all: true });
    expect(outcome.run).toMatchObject({
      status: 'Approved',
      decision: 'all',
      decidedBy: { id: manager.id, name: manager.name },
      applied: { coupled: 3, created: 0, skipped: 0, failed: 0 },
    });
    const couplings = await h.couplingsOf();
    expect(couplings.map((c) => [c.bcNumber, c.bcId, c.dvId]).sort()).toEqual([
      ['10000', bc['adatum'], dv['adatum']],
      ['20000', bc['trey'], dv['trey']],
      ['30000', bc['fineArt'], dv['fineArt']],
    ]);
    expect(couplings.every((c) => c.origin === `match:${run.id}` && c.coupledBy === manager.name)).toBe(true);
    const job = await h.jobs.get(outcome.jobId);
    expect(job).toMatchObject({ type: 'Coupling', mapping: 'CUSTOMER', status: 'Finished' });
    expect(job?.counters).toMatchObject({ coupled: 3, failed: 0, skipped: 0 });
    const audit = await h.audit.list({ subject: `matchRun:${run.id}` });
    expect(audit.map((a) => a.action).sort()).toEqual(['match.approve', 'match.propose']);
  });

  it('Approve selected couples only the ticked rows', async () => {
    const h = await fresh();
    const { run, rowId } = await threeProposals(h);
    const outcome = await h.service.approve(manager, run.id, { rowIds: [rowId('20000'), rowId('20000')] });
    expect(outcome.run).toMatchObject({ decision: 'selected', applied: { coupled: 1 } });
    expect((await h.couplingsOf()).map((c) => c.bcNumber)).toEqual(['20000']);
  });

  it('Reject couples nothing, and a later approval is told who rejected it', async () => {
    const h = await fresh();
    const { run } = await threeProposals(h);
    expect(await h.service.reject(manager, run.id)).toMatchObject({ status: 'Rejected', decision: 'reject' });
    const late = await refusal(() => h.service.approve(manager, run.id, { all: true }));
    expect(late).toEqual({
      code: ErrorCode.AlreadyDecided,
      message: 'This match run was already rejected by Megan Bowen at 2025-03-01 09:00 UTC.',
    });
    expect(await h.couplingsOf()).toEqual([]);
  });

  it.each([
    [
      'approve all',
      (h: Awaited<ReturnType<typeof fresh>>, id: string) => h.service.approve(user, id, { all: true }),
    ],
    ['reject', (h: Awaited<ReturnType<typeof fresh>>, id: string) => h.service.reject(user, id)],
  ])('a non-manager cannot %s, and nothing changes', async (_, act) => {
    const h = await fresh();
    const { run } = await threeProposals(h);
    const r = await refusal(() => act(h, run.id));
    expect(r.code).toBe(ErrorCode.Forbidden);
    expect(r.message).toMatch(/^Only managers can/);
    expect((await h.service.getRun(run.id)).status).toBe('Proposed');
    expect(await h.couplingsOf()).toEqual([]);
  });

  it('a double click applies once; the second click hears who approved and when', async () => {
    const h = await fresh();
    const { run } = await threeProposals(h);
    await h.service.approve(manager, run.id, { all: true });
    h.clock.advanceHours(0.01);
    const second = await refusal(() => h.service.approve(manager, run.id, { all: true }));
    expect(second).toEqual({
      code: ErrorCode.AlreadyDecided,
      message: 'This match run was already approved by Megan Bowen at 2025-03-01 09:00 UTC.',
    });
    expect(await h.couplingsOf()).toHaveLength(3);
  });

  it('beginApproval decides at once; a click while it applies is refused; apply() then couples', async () => {
    const h = await fresh();
    const { run } = await threeProposals(h);
    const approval = await h.service.beginApproval(manager, run.id, { all: true });
    expect(approval.run).toMatchObject({ status: 'Applying', decidedBy: { name: manager.name } });
    expect(await h.couplingsOf()).toEqual([]);
    expect((await refusal(() => h.service.approve(manager, run.id, { all: true }))).code).toBe(
      ErrorCode.AlreadyDecided,
    );
    expect((await approval.apply()).run.status).toBe('Approved');
    expect(await h.couplingsOf()).toHaveLength(3);
  });

  it('an expired run cannot be approved; reading it and the sweep both say Expired', async () => {
    const h = await fresh();
    const { run } = await threeProposals(h);
    h.clock.advanceHours(72);
    expect((await h.service.getRun(run.id)).status).toBe('Expired');
    const r = await refusal(() => h.service.approve(manager, run.id, { all: true }));
    expect(r.code).toBe(ErrorCode.Expired);
    expect(r.message).toMatch(/expired at 2025-03-04 09:00 UTC without a decision; nothing was coupled/);
    expect(await h.service.expireDue()).toBe(1);
    expect(await h.service.expireDue()).toBe(0);
    expect((await h.deps.runs.get(run.id))?.status).toBe('Expired');
    expect(await h.couplingsOf()).toEqual([]);
  });

  it.each([
    ['an unknown id', ['999:abc']],
    ['an id that is not ours', ['hello']],
    ['a row without a proposal', ['NOMATCH']],
    ['a row id from another run', ['OTHER']],
    ['one good id with one bad one', ['GOOD', '2:not-the-record']],
    ['an operator object', [{ $ne: null }]],
    ['an empty list', []],
  ])('refuses forged selections (%s) and applies nothing', async (_, ids) => {
    const h = await fresh();
    const { run, rowId } = await threeProposals(h);
    const other = await h.service.proposeRun(manager, 'CUSTOMER');
    const otherRow = (await h.service.getRowsPage(other.id, 0, { kind: 'proposed' })).rows[2]?.rowId;
    const swap: Record<string, string | undefined> = {
      NOMATCH: rowId('40000'),
      OTHER: otherRow?.replace(/^\d+/, '0'),
      GOOD: rowId('10000'),
    };
    const rowIds = ids.map((id) => (typeof id === 'string' ? (swap[id] ?? id) : id));
    const r = await refusal(() => h.service.approve(manager, run.id, { rowIds }));
    expect(r.code).toBe(ErrorCode.InvalidInput);
    expect(r.message).toMatch(/Nothing was applied\.$/);
    expect((await h.service.getRun(run.id)).status).toBe('Proposed');
    expect(await h.couplingsOf()).toEqual([]);
  });

  it('refuses a run id that is not text', async () => {
    const h = await fresh();
    const r = await refusal(() =>
      h.service.approve(manager, { $gt: '' } as unknown as string, { all: true }),
    );
    expect(r.code).toBe(ErrorCode.InvalidInput);
  });
});

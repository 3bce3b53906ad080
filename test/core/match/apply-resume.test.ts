import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../core/errors.js';
import { createMatchService } from '../../../core/match/match-service.js';
import type { MatchDeps } from '../../../core/match/match-deps.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';
import { customer, manager, manager2, matchHarness, refusal, threeProposals, user } from './harness.js';

let t: TestDb;
let n = 0;
beforeAll(async () => {
  t = await useTestDb();
});
afterAll(() => t.cleanup());
const fresh = () => matchHarness(t.client.db(`resume${++n}`));

/** The real method, except that its first call fails as if the process died at that point. */
function dieOnce<A extends unknown[], R>(real: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  let died = false;
  return (...args) => {
    if (died) return real(...args);
    died = true;
    return Promise.reject(new Error('process died'));
  };
}

describe('resuming a run whose applying stopped', () => {
  it('a run left Applying by a dead process is resumed once its lease has run out', async () => {
    const h = await fresh();
    const { run } = await threeProposals(h);
    // What approve() does before applying; then the process "dies".
    const lease = new Date(h.clock.now().getTime() + 10 * 60_000);
    await h.deps.runs.decide(run.id, h.clock.now(), manager, {
      status: 'Applying',
      decision: 'all',
      selectedRowIds: [],
      leaseUntil: lease,
    });
    const early = await refusal(() => h.service.resumeApplying(manager2, run.id));
    expect(early.code).toBe(ErrorCode.Conflict);
    expect(await h.service.stuckRuns()).toEqual([]);
    h.clock.advanceHours(0.5);
    expect(await h.service.stuckRuns()).toEqual([run.id]);
    const outcome = await h.service.resumeApplying(manager2, run.id);
    expect(outcome.run).toMatchObject({
      status: 'Approved',
      applied: { coupled: 3 },
      decidedBy: { name: manager.name },
    });
    expect(await h.couplingsOf()).toHaveLength(3);
    expect(await h.service.stuckRuns()).toEqual([]);
  });

  it('couplings written before the crash are not written twice and count once', async () => {
    const h = await fresh();
    const { run } = await threeProposals(h);
    const deps: MatchDeps = {
      ...h.deps,
      runs: { ...h.deps.runs, savePageResults: dieOnce(h.deps.runs.savePageResults) },
    };
    await expect(createMatchService(deps).approve(manager, run.id, { all: true })).rejects.toThrow(
      'process died',
    );
    const failed = await h.service.getRun(run.id);
    expect(failed.status).toBe('Failed');
    expect(failed.message).toMatch(/process died/);
    expect(await h.couplingsOf()).toHaveLength(3);

    const outcome = await h.service.resumeApplying(manager, run.id);
    expect(outcome.run).toMatchObject({ status: 'Approved', applied: { coupled: 3, skipped: 0, failed: 0 } });
    expect(outcome.coupled).toHaveLength(3);
    expect(await h.couplingsOf()).toHaveLength(3);
    const jobs = await h.jobs.listRecent({ type: 'Coupling' });
    expect(jobs.map((j) => j.status).sort()).toEqual(['Failed', 'Finished']);
  });

  it('a Create New row created before the crash is coupled on resume, not created again', async () => {
    const h = await fresh();
    await h.addCustomers([customer('10000', 'Brand New Ltd')]);
    const run = await h.service.proposeRun(manager, 'CUSTOMER', { createNew: true });
    const couplings = Object.assign(Object.create(h.deps.couplings) as MatchDeps['couplings'], {
      bulkInsert: dieOnce((c: Parameters<MatchDeps['couplings']['bulkInsert']>[0]) =>
        h.deps.couplings.bulkInsert(c),
      ),
    });
    const deps: MatchDeps = { ...h.deps, couplings };
    await expect(createMatchService(deps).approve(manager, run.id, { all: true })).rejects.toThrow(
      'process died',
    );
    const accounts = () => h.db.collection('dv.account').countDocuments();
    expect(await accounts()).toBe(1);
    expect(await h.couplingsOf()).toEqual([]);

    const outcome = await h.service.resumeApplying(manager, run.id);
    expect(outcome.run.applied).toEqual({ coupled: 1, created: 1, skipped: 0, failed: 0 });
    expect(await accounts()).toBe(1);
    expect(await h.couplingsOf()).toHaveLength(1);
  });

  it.each([
    ['by a non-manager', 'approved', user, ErrorCode.Forbidden],
    ['of a run already approved', 'approved', manager, ErrorCode.AlreadyDecided],
    ['of a run not approved yet', 'proposed', manager, ErrorCode.StaleState],
  ] as const)('refuses a resume %s', async (_, state, actor, code) => {
    const h = await fresh();
    const { run } = await threeProposals(h);
    if (state === 'approved') await h.service.approve(manager, run.id, { all: true });
    expect((await refusal(() => h.service.resumeApplying(actor, run.id))).code).toBe(code);
  });
});

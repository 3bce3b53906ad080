import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CouplingRepository } from '../../core/coupling/coupling-repository.js';
import { CouplingService } from '../../core/coupling/coupling-service.js';
import { ErrorCode } from '../../core/errors.js';
import { createImportService } from '../../core/match/import-csv.js';
import type { Actor } from '../../core/model/actor.js';
import { useTestDb, type TestDb } from '../support/test-mongo.js';
import { manager, matchHarness, refusal, threeProposals, user, type Harness } from '../core/match/harness.js';
import { snapshotAll } from './support/snapshot.js';

/**
 * Manager-only operations are refused in core itself, whoever calls it (the bot, a forged card, a
 * future API): core services are called directly with a non-manager actor, and with one who borrows a
 * manager's display name. Each refusal is Forbidden and leaves every collection as it was.
 */
const borrowedName: Actor = { id: user.id, name: manager.name };

let t: TestDb;
let h: Harness;
let runId: string;
let rowId: (no: string) => string;
let coupling: CouplingService;

beforeAll(async () => {
  t = await useTestDb();
  h = await matchHarness(t.db);
  const proposal = await threeProposals(h);
  runId = proposal.run.id;
  rowId = proposal.rowId;
  const { bc, dv, audit, roles, clock } = h.deps;
  const couplings = new CouplingRepository(t.db);
  coupling = new CouplingService({
    bc,
    dv,
    couplings,
    mappings: h.mappings,
    audit,
    jobs: h.jobs,
    roles,
    clock,
  });
  // Something to uncouple: a coupling made by the manager.
  await h.service.approve(manager, runId, { rowIds: [rowId('10000')] });
  runId = (await proposeAgain()).run.id;
});
afterAll(() => t.cleanup());

/** A second run, still undecided, over the customers not yet coupled. */
async function proposeAgain() {
  const run = await h.service.proposeRun(manager, 'CUSTOMER');
  const rows = (await h.service.getRowsPage(run.id, 0)).rows;
  rowId = (no) => rows.find((r) => r.outcome.bc.number === no)?.rowId ?? 'missing';
  return { run };
}

const operations: Array<[string, (actor: Actor) => Promise<unknown>, RegExp]> = [
  ['uncouple all', (a) => coupling.uncoupleAll(a, 'CUSTOMER'), /Only managers can delete all couplings/],
  [
    'change a mapping’s direction',
    (a) => h.mappings.setDirection(a, 'CUSTOMER', 'FromIntegrationTable'),
    /Only managers can change table mappings/,
  ],
  [
    'switch sync-only-coupled',
    (a) => h.mappings.setSyncOnlyCoupled(a, 'CUSTOMER', false),
    /Only managers can change table mappings/,
  ],
  [
    'change conflict resolution',
    (a) => h.mappings.setConflictResolution(a, 'CUSTOMER', { deletion: 'Restore Records' }),
    /Only managers can change table mappings/,
  ],
  [
    'save match criteria',
    (a) => h.mappings.saveMatchCriteria(a, 'CUSTOMER', {}),
    /Only managers can change table mappings/,
  ],
  [
    'reset match criteria',
    (a) => h.mappings.resetMatchCriteria(a, 'CUSTOMER'),
    /Only managers can change table mappings/,
  ],
  [
    'reset a mapping to its defaults',
    (a) => h.mappings.resetToDefaults(a, 'CUSTOMER'),
    /Only managers can change table mappings/,
  ],
  [
    'move the high-water marks',
    (a) => h.mappings.setHighWaterMarks(a, 'CUSTOMER', { bc: null, dv: null }),
    /Only managers can change table mappings/,
  ],
  [
    'approve all rows of a match run',
    (a) => h.service.approve(a, runId, { all: true }),
    /Only managers can approve match-based coupling/,
  ],
  [
    'approve selected rows',
    (a) => h.service.approve(a, runId, { rowIds: [rowId('20000')] }),
    /Only managers can approve match-based coupling/,
  ],
  [
    'begin an approval (decide now, apply later)',
    (a) => h.service.beginApproval(a, runId, { all: true }),
    /Only managers can approve match-based coupling/,
  ],
  ['reject a match run', (a) => h.service.reject(a, runId), /Only managers can reject match-based coupling/],
  [
    'resume applying a run',
    (a) => h.service.resumeApplying(a, runId),
    /Only managers can resume applying a match run/,
  ],
  [
    'import rows into Dataverse',
    (a) =>
      createImportService({ ...h.deps, mappings: h.mappings }).importRows(a, 'accounts', 'name\nContoso\n'),
    /Only managers can import rows into Dataverse/,
  ],
];

describe.each([
  ['a user who is not a manager', user],
  ['a user who borrows a manager’s display name', borrowedName],
])('%s', (_who, actor) => {
  it.each(operations)('cannot %s: Forbidden in core, nothing written', async (_op, run, message) => {
    const before = await snapshotAll(t.db);
    const refused = await refusal(() => run(actor));
    expect(refused.code).toBe(ErrorCode.Forbidden);
    expect(refused.message).toMatch(message);
    expect(await snapshotAll(t.db)).toEqual(before);
  });
});

describe('the same operations by a manager (the control)', () => {
  it('approve selected rows of the run the others could not touch', async () => {
    const outcome = await h.service.approve(manager, runId, { rowIds: [rowId('20000')] });
    expect(outcome.run).toMatchObject({ status: 'Approved', applied: { coupled: 1 } });
  });

  it('change the direction and uncouple all', async () => {
    await expect(h.mappings.setDirection(manager, 'CUSTOMER', 'FromIntegrationTable')).resolves.toMatchObject(
      {
        direction: 'FromIntegrationTable',
      },
    );
    await coupling.uncoupleAll(manager, 'CUSTOMER');
    expect(await h.couplingsOf()).toEqual([]);
  });
});

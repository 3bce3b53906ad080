import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../core/errors.js';
import { PreviewRepository } from '../../../../core/sync/preview/preview-repository.js';
import { createPreviewService, type PreviewService } from '../../../../core/sync/preview/preview-service.js';
import { DryRunLeak } from '../../../../core/sync/preview/guard.js';
import { dryRun } from '../../../../core/sync/preview/dry-deps.js';
import { useTestDb, type TestDb } from '../../../support/test-mongo.js';
import { MANAGER, USER, world, type World } from '../world.js';

let t: TestDb;
let w: World;
let previews: PreviewService;
beforeAll(async () => {
  t = await useTestDb();
});
afterAll(async () => t.cleanup());
beforeEach(async () => {
  w = await world(t.db, { batchSize: 50 });
  previews = createPreviewService({ ...w.deps, previews: new PreviewRepository(t.db) });
});

/** Every document of every collection but the previews: what a preview must leave as it was. */
async function store(): Promise<unknown> {
  const names = (await t.db.listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .filter((n) => n !== 'syncPreviews')
    .sort();
  return Object.fromEntries(
    await Promise.all(
      names.map(async (n) => [n, await t.db.collection(n).find().sort({ _id: 1 }).toArray()]),
    ),
  );
}

const refusal = async (p: Promise<unknown>) => {
  const e = (await p.then(
    () => null,
    (err: unknown) => err,
  )) as { code?: string; message?: string } | null;
  return { code: e?.code, message: e?.message ?? '(not refused)' };
};

describe('a preview of a whole-mapping run', () => {
  // Two batches of 50 stand for a large table: what the summary keeps does not grow with it.
  it(
    'counts every record of a large table, keeps three examples, and writes nothing',
    { timeout: 30_000 },
    async () => {
      const pairs = [];
      for (let i = 0; i < 60; i++) pairs.push(await w.coupledPair(String(20000 + i)));
      for (const p of pairs) await w.editBc(p.bc.id, { 'Phone No.': `+47 ${p.bc.number}` });
      const before = await store();
      const p = await previews.previewSync(MANAGER, 'CUSTOMER', false);
      expect(await store()).toEqual(before);
      expect(p.summary.modifiedInDataverse.count).toBe(60);
      expect(p.summary.modifiedInDataverse.examples).toHaveLength(3);
      const [first] = p.summary.modifiedInDataverse.examples;
      expect(first).toMatchObject({
        bcNumber: expect.stringMatching(/^200\d\d$/),
        name: `Customer ${first?.bcNumber}`,
        changes: [{ side: 'dv', field: 'telephone1', old: '100', new: `+47 ${first?.bcNumber}` }],
      });
      expect(p.counters.modified).toBe(60);

      const real = await w.sync.synchronizeModified(MANAGER, 'CUSTOMER');
      expect(real.job.counters).toEqual(p.counters);
    },
  );

  it('of a full synchronization is a manager’s; of modified records anyone’s', async () => {
    expect(await refusal(previews.previewSync(USER, 'CUSTOMER', true))).toMatchObject({
      code: ErrorCode.Forbidden,
    });
    await expect(previews.previewSync(USER, 'CUSTOMER', false)).resolves.toMatchObject({ kind: 'modified' });
  });

  it('of an unknown mapping says which mappings exist', async () => {
    expect((await refusal(previews.previewSync(MANAGER, 'WIDGETS', false))).message).toMatch(/WIDGETS/);
  });
});

describe('Run for real re-checks what the preview depended on', () => {
  it('refuses when the mapping’s settings changed, saying from what to what', async () => {
    await w.coupledPair('10000');
    const p = await previews.previewSync(MANAGER, 'CUSTOMER', true);
    await w.mappings.setConflictResolution(MANAGER, 'CUSTOMER', { update: 'Send Update to Integration' });
    await w.mappings.setDirection(MANAGER, 'CUSTOMER', 'ToIntegrationTable');
    const r = await refusal(previews.claim(MANAGER, p.id));
    expect(r.code).toBe(ErrorCode.StaleState);
    expect(r.message).toMatch(/the mapping's direction changed from Bidirectional to ToIntegrationTable/);
    expect(r.message).toMatch(
      /the mapping's Resolve Update Conflicts changed from .* to Send Update to Integration/,
    );
    expect(r.message).toMatch(/Preview again: sync customer all preview$/);
  });

  it('refuses when records changed since, naming the first few and counting the rest', async () => {
    const pairs = [];
    for (let i = 0; i < 7; i++) pairs.push(await w.coupledPair(String(30000 + i)));
    const p = await previews.previewSync(MANAGER, 'CUSTOMER', false);
    w.clock.advanceMinutes(1);
    for (const x of pairs) await w.editDv(x.dv.id, { telephone1: 'later' });
    const r = await refusal(previews.claim(MANAGER, p.id));
    expect(r.message).toMatch(/7 records changed since the preview: (300\d\d, ){5}…\./);
  });

  it('refuses when couplings were added or removed since', async () => {
    await w.coupledPair('10000');
    const p = await previews.previewSync(MANAGER, 'CUSTOMER', false);
    await w.coupledPair('10001');
    expect((await refusal(previews.claim(MANAGER, p.id))).message).toMatch(
      /the couplings of CUSTOMER went from 1 to 2/,
    );
  });

  it('runs once: the second claim says who ran it; a non-manager, an unknown id and an expired preview are refused', async () => {
    await w.coupledPair('10000');
    const p = await previews.previewSync(USER, 'CUSTOMER', false);
    expect(await refusal(previews.claim(USER, p.id))).toMatchObject({ code: ErrorCode.Forbidden });
    await expect(previews.claim(MANAGER, p.id)).resolves.toMatchObject({
      claimedBy: { byName: 'Megan Manager' },
    });
    expect(await refusal(previews.claim(MANAGER, p.id))).toMatchObject({
      code: ErrorCode.AlreadyDecided,
      message: expect.stringMatching(/^This preview was already run by Megan Manager at \d\d:\d\d UTC/),
    });
    expect(await refusal(previews.claim(MANAGER, '0b9f8e7d-6c5b-4a39-8271-605f4e3d2c1b'))).toMatchObject({
      code: ErrorCode.Expired,
    });
    const later = await previews.previewSync(MANAGER, 'CUSTOMER', false);
    w.clock.advanceMinutes(61);
    expect(await refusal(previews.claim(MANAGER, later.id))).toMatchObject({ code: ErrorCode.Expired });
  });
});

describe('the dry-run deps', () => {
  it('keep no undo journal: a preview changes nothing, so there is nothing to undo', async () => {
    const recorded: unknown[] = [];
    const journal = {
      record: async (_jobId: string, entries: readonly unknown[]) => void recorded.push(...entries),
      created: async () => undefined,
    };
    const dry = dryRun({ ...w.deps, journal }, w.clock.now());
    await dry.deps.journal?.record('job', [
      { kind: 'couplingAdded', mapping: 'CUSTOMER', bcId: 'b', bcNumber: '10000', dvId: 'd' },
    ]);
    expect(recorded).toEqual([]);
  });

  it('answer writes without writing, and stop at a write they do not know, even of a dependency added later', async () => {
    const ledger = { record: async () => 'written' };
    const dry = dryRun({ ...w.deps, ...({ ledger } as object) }, w.clock.now());
    const d = dry.deps as typeof dry.deps & { ledger: typeof ledger };
    expect(() => d.ledger.record()).toThrow(DryRunLeak);
    expect(() => d.errors.claim('x', 'y')).toThrow(/errors\.claim would write, and a preview never writes/);
    await expect(d.couplings.deleteByBcId('CUSTOMER', 'no-such-id')).resolves.toBeNull();
    const [made] = await d.dv.createMany('account', [{ name: 'New' }]);
    expect(made?.ok && (await d.dv.get('account', made.value.id))?.fields).toEqual({ name: 'New' });
    expect(await w.sandbox.dv.findByField('account', 'name', 'New', 5)).toEqual([]);
  });
});

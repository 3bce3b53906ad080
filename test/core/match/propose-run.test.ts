import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../core/errors.js';
import { StoredRowDoc } from '../../../core/match/run-documents.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';
import { account, customer, matchHarness, OTHER_COMPANY_ID, refusal, user } from './harness.js';

let t: TestDb;
let n = 0;
beforeAll(async () => {
  t = await useTestDb();
});
afterAll(() => t.cleanup());
const fresh = (options?: { storedPageSize?: number }) => matchHarness(t.client.db(`propose${++n}`), options);

describe('proposeRun', () => {
  it('proposes couplings by the saved criteria and couples nothing yet', async () => {
    const h = await fresh();
    await h.addCustomers([
      customer('10000', 'Adatum Corporation'),
      customer('20000', 'Trey Research'),
      customer('40000', 'Alpine Ski House'),
      customer('50000', 'Relecloud'),
      customer('60000', 'Coho Winery', { Blocked: 'All' }),
    ]);
    const [adatum] = await h.addAccounts([
      account('Adatum Corporation'),
      account('Adatum Corporation', { bcbi_companyid: OTHER_COMPANY_ID }),
      account('trey research', { bcbi_companyid: null }),
      account('Alpine Ski House', { address1_city: 'Atlanta' }),
      account('Alpine Ski House', { address1_city: 'Denver' }),
      account('Relecloud', { bcbi_companyid: OTHER_COMPANY_ID }),
    ]);
    const run = await h.service.proposeRun(user, 'customer');
    expect(run).toMatchObject({ mapping: 'CUSTOMER', status: 'Proposed', createdBy: { name: user.name } });
    expect(run.counts).toEqual({
      total: 5,
      proposed: 2,
      noMatch: 1,
      severalMatches: 1,
      matchAlreadyCoupled: 0,
      skipped: 1,
      wouldCreate: 0,
      near: 0,
    });
    expect(run.expiresAt.getTime() - run.createdAt.getTime()).toBe(72 * 3_600_000);
    const proposals = await h.service.getRowsPage(run.id, 0, { kind: 'proposed' });
    expect(proposals.rows.map((r) => r.outcome.bc.number)).toEqual(['10000', '20000']);
    expect(proposals.rows[0]?.outcome).toMatchObject({
      dvId: adatum,
      matchedOn: [{ bcField: 'Name', dvField: 'name', value: 'Adatum Corporation' }],
    });
    expect(await h.couplingsOf()).toEqual([]);
  });

  it('uses criteria given for one run without saving them', async () => {
    const h = await fresh();
    await h.addCustomers([customer('10000', 'Adatum', { 'E-Mail': 'a@adatum.com' })]);
    await h.addAccounts([account('Adatum Corp', { emailaddress1: 'A@adatum.com' })]);
    const run = await h.service.proposeRun(user, 'CUSTOMER', {
      fields: [
        { bcField: 'Name', match: false },
        { bcField: 'E-Mail', match: true },
      ],
    });
    expect(run.counts.proposed).toBe(1);
    expect(run.criteria.fields.filter((f) => f.match).map((f) => f.bcField)).toEqual(['E-Mail']);
    const saved = await h.mappings.get('CUSTOMER');
    expect(saved.fields.filter((f) => f.useForMatch).map((f) => f.bcField)).toEqual(['Name']);
  });

  it("refuses a run without criteria with BC's message, storing nothing", async () => {
    const h = await fresh();
    const r = await refusal(() =>
      h.service.proposeRun(user, 'CUSTOMER', { fields: [{ bcField: 'Name', match: false }] }),
    );
    expect(r.code).toBe(ErrorCode.NoMatchCriteria);
    expect(r.message).toMatch(/You must specify which fields .* should be used for match-based coupling/);
    expect(await h.db.collection('matchRuns').countDocuments()).toBe(0);
  });

  it('refuses an unknown mapping', async () => {
    const h = await fresh();
    expect((await refusal(() => h.service.proposeRun(user, 'SHOES'))).code).toBe(ErrorCode.NotFound);
  });

  it('stores a large run in pages and pages through it cheaply', async () => {
    const h = await fresh({ storedPageSize: 100 });
    const names = Array.from({ length: 1_050 }, (_, i) => `Company ${i}`);
    await h.addCustomers(names.map((name, i) => customer(String(10_000 + i), name)));
    await h.addAccounts(names.filter((_, i) => i % 3 !== 0).map((name) => account(name.toUpperCase())));
    const run = await h.service.proposeRun(user, 'CUSTOMER');
    expect(run.counts).toMatchObject({ total: 1_050, proposed: 700, noMatch: 350 });
    expect(run.pages).toBe(11);
    const pages = await h.db.collection('matchRunRows').find({ runId: run.id }).toArray();
    expect(pages).toHaveLength(11);
    expect(Math.max(...pages.map((p) => (p['rows'] as unknown[]).length))).toBe(100);
    const runDoc = await h.db.collection('matchRuns').findOne({ id: run.id });
    expect(JSON.stringify(runDoc).length).toBeLessThan(5_000);

    // Page 4 of the proposals (25 a page) spans stored pages 0 and 1: rows 100..124.
    const p4 = await h.service.getRowsPage(run.id, 4, { kind: 'proposed' });
    expect(p4).toMatchObject({ page: 4, pageSize: 25, pages: 28, total: 700 });
    expect(p4.rows.map((r) => r.rowId.split(':')[0])).toEqual(
      Array.from({ length: 25 }, (_, i) => String(100 + i)),
    );
    const lastNoMatch = await h.service.getRowsPage(run.id, 13, { kind: 'noMatch' });
    expect(lastNoMatch.rows).toHaveLength(350 - 13 * 25);
    expect(lastNoMatch.rows.every((r) => r.outcome.kind === 'noMatch')).toBe(true);
    expect(await h.service.getRowsPage(run.id, 99, { kind: 'noMatch' })).toMatchObject({ rows: [] });
  });

  it.each([
    ['inside one stored page', 2],
    ['across two stored pages', 3],
  ])(
    'reads a card page %s as the same rows, with the same ids, as the stored pages hold',
    async (_l, page) => {
      const h = await fresh({ storedPageSize: 100 });
      const names = Array.from({ length: 240 }, (_, i) => `Company ${i}`);
      await h.addCustomers(names.map((name, i) => customer(String(10_000 + i), name)));
      await h.addAccounts(names.map((name) => account(name.toUpperCase())));
      const run = await h.service.proposeRun(user, 'CUSTOMER');
      const stored = (
        await h.db.collection('matchRunRows').find({ runId: run.id }).sort({ page: 1 }).toArray()
      )
        .flatMap((p) => p['rows'] as unknown[])
        .map((r, i) => `${i}:${StoredRowDoc.parse(r).outcome.bc.id}`);
      const card = await h.service.getRowsPage(run.id, page, { kind: 'proposed', pageSize: 30 });
      expect(card.rows.map((r) => r.rowId)).toEqual(stored.slice(page * 30, page * 30 + 30));
    },
  );

  it('reads rows stored as objects before outcomes were stored as text the same as new ones', async () => {
    const h = await fresh();
    await h.addCustomers([customer('10000', 'Adatum Corporation'), customer('20000', 'Trey Research')]);
    await h.addAccounts([account('Adatum Corporation')]);
    const run = await h.service.proposeRun(user, 'CUSTOMER');
    const before = await h.service.getRowsPage(run.id, 0);
    const pages = h.db.collection('matchRunRows');
    const page = await pages.findOne({ runId: run.id, page: 0 });
    const rows = (page?.['rows'] as unknown[]).map((r) => StoredRowDoc.parse(r));
    expect(rows.map((r) => r.outcome.kind)).toEqual(['proposed', 'noMatch']);
    await pages.updateOne({ runId: run.id, page: 0 }, { $set: { rows } });
    expect(await h.service.getRowsPage(run.id, 0)).toEqual(before);
  });

  it('refuses a stored row whose outcome text is not an outcome, as a corrupt document', async () => {
    const h = await fresh();
    await h.addCustomers([customer('10000', 'Adatum Corporation')]);
    const run = await h.service.proposeRun(user, 'CUSTOMER');
    await h.db
      .collection('matchRunRows')
      .updateOne({ runId: run.id, page: 0 }, { $set: { 'rows.0.outcome': '{"kind":' } });
    await expect(h.service.getRowsPage(run.id, 0)).rejects.toThrow(/matchRunRows.*rows\.0\.outcome/s);
  });

  it('refuses a page request that is not a page', async () => {
    const h = await fresh();
    await h.addCustomers([customer('10000', 'A')]);
    const run = await h.service.proposeRun(user, 'CUSTOMER');
    expect((await refusal(() => h.service.getRowsPage(run.id, -1))).code).toBe(ErrorCode.InvalidInput);
    expect((await refusal(() => h.service.getRowsPage(run.id, 0, { pageSize: 500 }))).code).toBe(
      ErrorCode.InvalidInput,
    );
    expect((await refusal(() => h.service.getRowsPage('no-such-run', 0))).code).toBe(ErrorCode.NotFound);
  });
});

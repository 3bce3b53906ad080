import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../core/errors.js';
import { importRows, type ImportDeps } from '../../../core/match/import-csv.js';
import { createJobRepository } from '../../../core/jobs/job-repository.js';
import type { Job } from '../../../core/model/job.js';
import { createUndoJournal } from '../../../core/undo/journal-repository.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';
import { customer, manager, matchHarness, refusal, SANDBOX_COMPANY_ID, user } from './harness.js';

let t: TestDb;
let n = 0;
beforeAll(async () => {
  t = await useTestDb();
});
afterAll(() => t.cleanup());

async function fresh() {
  const h = await matchHarness(t.client.db(`import${++n}`));
  const deps: ImportDeps = {
    dv: h.deps.dv,
    bc: h.deps.bc,
    mappings: h.mappings,
    roles: h.deps.roles,
    audit: h.audit,
  };
  const rows = async (table = 'dv.account') =>
    (await h.db.collection(table).find({}).toArray()).map((d) => d['fields'] as Record<string, unknown>);
  return { h, deps, rows };
}

describe('import accounts / products (bulk insert and couple)', () => {
  it('inserts every valid row with company id and type code, then a match run finds them', async () => {
    const { h, deps, rows } = await fresh();
    const csv = [
      'Name,E-Mail,telephone1,City,creditlimit,type',
      '"Adatum Corporation",robert.townes@adatum.com,+1 425 555 0100,Atlanta,50000,Customer',
      '"Fabrikam, Inc.",evan@fabrikam.com,,Atlanta,,Vendor',
      'Trey Research,,(312) 555-0142,Chicago,1999.95,',
    ].join('\r\n');
    const report = await importRows(deps, manager, 'accounts', csv);
    expect(report).toMatchObject({ kind: 'accounts', accepted: 3, rejected: [] });
    expect(report.mappings.sort()).toEqual(['CUSTOMER', 'VENDOR']);
    const stored = await rows();
    expect(stored.find((r) => r['name'] === 'Fabrikam, Inc.')).toMatchObject({
      customertypecode: 11,
      statecode: 0,
      bcbi_companyid: SANDBOX_COMPANY_ID,
      emailaddress1: 'evan@fabrikam.com',
    });
    expect(stored.find((r) => r['name'] === 'Trey Research')).toMatchObject({
      customertypecode: 3,
      creditlimit: 1999.95,
    });

    await h.addCustomers([customer('10000', 'Adatum Corporation'), customer('20000', 'Trey Research')]);
    expect((await h.service.proposeRun(manager, 'CUSTOMER')).counts.proposed).toBe(2);
  });

  it('reports each bad row with its line number and inserts the good ones', async () => {
    const { deps, rows } = await fresh();
    const csv = [
      'name,emailaddress1,creditlimit,address1_line1',
      'Good One,good@one.com,10,',
      ',nobody@x.com,,',
      'Bad Mail,bob@,,',
      `${'L'.repeat(161)},,,`,
      'Bad Money,,"1,000",',
      'Too Many,a@b.com,1,x,extra',
      'Good Two,,,"12 Long Road',
      'Building B"',
      'Good Three,,,',
    ].join('\n');
    const report = await importRows(deps, manager, 'accounts', csv);
    expect(report.accepted).toBe(3);
    expect(report.rejected).toEqual([
      { line: 3, reason: 'name is required.' },
      { line: 4, reason: 'emailaddress1 is not an e-mail address.' },
      { line: 5, reason: 'name longer than 160 characters.' },
      {
        line: 6,
        reason: 'creditlimit must be a number like 25000 or 1999.95 (no thousands separators, not negative).',
      },
      { line: 7, reason: 'has 5 values; the header has 4 columns.' },
    ]);
    expect((await rows()).map((r) => r['name']).sort()).toEqual(['Good One', 'Good Three', 'Good Two']);
  });

  it.each([
    ['=HYPERLINK("http://evil","x")', 'name'],
    ['+cmd|calc', 'name'],
    ['-2+3', 'name'],
    ['@SUM(A1)', 'name'],
    ['\t=1+1', 'name'],
  ])('rejects a formula-looking value %j (CSV injection) instead of storing it', async (value, column) => {
    const { deps, rows } = await fresh();
    const csv = `name,telephone1\n"${value.replaceAll('"', '""')}",+1 425 555 0100\nSafe,+1 425 555 0101\n`;
    const report = await importRows(deps, manager, 'accounts', csv);
    expect(report.rejected).toHaveLength(1);
    expect(report.rejected[0]?.line).toBe(2);
    expect(report.rejected[0]?.reason).toMatch(new RegExp(`^${column} starts with = \\+ - @ or a tab`));
    expect((await rows()).map((r) => r['name'])).toEqual(['Safe']);
  });

  it('rejects a row of an unknown type, and refuses an unknown default type outright', async () => {
    const { deps, rows } = await fresh();
    const report = await importRows(deps, manager, 'accounts', 'name,type\nA,Customer\nB,Partner\nC,11\n');
    expect(report.rejected).toEqual([{ line: 3, reason: 'type "Partner" must be Customer or Vendor.' }]);
    expect((await rows()).map((r) => [r['name'], r['customertypecode']])).toEqual([
      ['A', 3],
      ['C', 11],
    ]);
    const r = await refusal(() => importRows(deps, manager, 'accounts', 'name\nX\n', { type: 'Partner' }));
    expect(r.message).toMatch(/The type must be Customer or Vendor/);
  });

  it('imports products with the type code of the type asked for', async () => {
    const { deps, rows } = await fresh();
    const report = await importRows(
      deps,
      manager,
      'products',
      'No.;Description;price\n1896-S;ATHENS Desk;1000.8\n;No Number;1\n',
      {
        type: 'Services',
      },
    );
    expect(report).toMatchObject({ accepted: 1, mappings: ['RESOURCE-PRODUCT'] });
    expect(report.rejected).toEqual([{ line: 3, reason: 'productnumber is required.' }]);
    expect(await rows('dv.product')).toMatchObject([
      {
        productnumber: '1896-S',
        name: 'ATHENS Desk',
        price: 1000.8,
        producttypecode: 3,
        bcbi_companyid: SANDBOX_COMPANY_ID,
      },
    ]);
  });

  const bigRows = 'name\n' + 'Row\n'.repeat(50_001);
  it.each([
    ['a file over 5 MB', 'name\n' + 'x'.repeat(5 * 1024 * 1024), /The file is 5.0 MB; the limit is 5.0 MB/],
    ['more than 50,000 rows', bigRows, /The file has 50001 rows; at most 50000/],
    [
      'an Excel workbook',
      'PK\u0003\u0004\u0014\u0000\u0006\u0000 [Content_Types].xml',
      /not CSV text .* "CSV UTF-8"/,
    ],
    ['binary content', 'name\nA\u0000B\n', /not CSV text/],
    ['no header', 'Adatum Corporation,robert@adatum.com\n', /first line must be a header/],
    ['an unknown column', 'name,shoesize\nA,42\n', /Unknown column\(s\) "shoesize"/],
    ['a header without name', 'emailaddress1\na@b.com\n', /no name column/],
    ['a repeated column', 'name,Name\nA,B\n', /appears twice/],
    ['an unclosed quote', 'name\n"Adatum\n', /not valid CSV: Quote Not Closed/],
    ['an empty file', '', /The file is empty/],
    ['no text at all', { $ne: null }, /could not be read as text/],
  ])('refuses %s and inserts nothing', async (_, csv, message) => {
    const { deps, rows } = await fresh();
    const r = await refusal(() => importRows(deps, manager, 'accounts', csv));
    expect(r.code).toBe(ErrorCode.InvalidInput);
    expect(r.message).toMatch(message);
    expect(r.message).toMatch(/Nothing was imported\.$/);
    expect(await rows()).toEqual([]);
  });

  it('is refused to a non-manager, inserting nothing', async () => {
    const { deps, rows } = await fresh();
    expect((await refusal(() => importRows(deps, user, 'accounts', 'name\nA\n'))).code).toBe(
      ErrorCode.Forbidden,
    );
    expect(await rows()).toEqual([]);
  });
});

describe('an import is an Import job while its rows go in', () => {
  const many = (count: number) =>
    `name\n${Array.from({ length: count }, (_, i) => `Bulk Account ${i + 1}`).join('\n')}\n`;

  it('announces the job before writing, with the valid rows as its total, and counts each chunk', async () => {
    const { h, deps } = await fresh();
    const withJob: ImportDeps = {
      ...deps,
      jobs: h.deps.jobs,
      journal: createUndoJournal({ db: h.db, clock: h.deps.clock }),
    };
    let started: Job | undefined;
    const report = await importRows(withJob, manager, 'accounts', many(2_500), {
      onStarted: (job) => (started = job),
    });
    expect(started).toMatchObject({
      type: 'Import',
      status: 'Running',
      total: 2_500,
      counters: { inserted: 0 },
    });
    const job = await h.deps.jobs.get(report.jobId ?? '');
    expect(job).toMatchObject({
      id: started?.id,
      status: 'Finished',
      total: 2_500,
      counters: { inserted: 2_500 },
    });
  });

  it('stops between chunks when cancelled: what went in stays (and can be undone), the rest is listed', async () => {
    const { h, deps } = await fresh();
    const jobs = createJobRepository({ db: h.db, clock: h.deps.clock });
    let cancelled: Promise<unknown> = Promise.resolve();
    // Someone clicks Cancel as soon as the job shows; the first chunk is written before anyone could.
    const dv = Object.create(deps.dv) as ImportDeps['dv'];
    dv.createMany = async (...args) => {
      await cancelled;
      return deps.dv.createMany(...args);
    };
    const withJob: ImportDeps = {
      ...deps,
      dv,
      jobs,
      journal: createUndoJournal({ db: h.db, clock: h.deps.clock }),
    };
    const report = await importRows(withJob, manager, 'accounts', many(2_500), {
      onStarted: (job) =>
        (cancelled = jobs.requestCancel(job.id, { byId: manager.id, byName: 'Ada Manager' })),
    });
    expect(report.accepted).toBe(1_000);
    expect(report.rejected).toHaveLength(1_500);
    expect(report.rejected[0]?.reason).toBe('Not imported: the import was cancelled before this row.');
    const job = await h.deps.jobs.get(report.jobId ?? '');
    expect(job?.status).toBe('Cancelled');
    expect(job?.message).toMatch(
      /^Cancelled by Ada Manager at .* 1000 rows inserted into Dataverse, 1500 rejected\./,
    );
  });

  it('a file with no valid row starts no job', async () => {
    const { h, deps } = await fresh();
    const withJob: ImportDeps = {
      ...deps,
      jobs: h.deps.jobs,
      journal: createUndoJournal({ db: h.db, clock: h.deps.clock }),
    };
    let started = false;
    const report = await importRows(withJob, manager, 'accounts', 'name,creditlimit\nBroken,lots\n', {
      onStarted: () => (started = true),
    });
    expect(report.accepted).toBe(0);
    expect(started).toBe(false);
    expect(await h.db.collection('jobs').countDocuments()).toBe(0);
  });
});

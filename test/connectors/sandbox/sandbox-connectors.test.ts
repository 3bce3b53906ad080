import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from 'mongodb';
import { ErrorCode } from '../../../core/errors.js';
import { ConcurrencyError } from '../../../core/ports/errors.js';
import type { Clock } from '../../../core/ports/clock.js';
import { SandboxBusinessCentral } from '../../../connectors/sandbox/sandbox-business-central.js';
import { SandboxDataverse } from '../../../connectors/sandbox/sandbox-dataverse.js';
import { resetSandbox, SANDBOX_COMPANY_ID } from '../../../connectors/sandbox/seed.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';

/** A clock stuck at one instant: edits in the same millisecond must still move modified-on. */
const frozen: Clock = { now: () => new Date('2026-01-01T00:00:00.000Z') };

let test: TestDb;
let db: Db;
let bc: SandboxBusinessCentral;
let dv: SandboxDataverse;

beforeAll(async () => {
  test = await useTestDb();
  db = test.db;
  bc = new SandboxBusinessCentral(db, { clock: frozen });
  dv = new SandboxDataverse(db, { clock: frozen });
});
beforeEach(() => resetSandbox(db, { clock: frozen }));
afterAll(() => test.cleanup());

describe('SandboxBusinessCentral', () => {
  it('reads a customer by number and by id, with BC field names that contain dots', async () => {
    const byNumber = await bc.getByNumber('Customer', '10000');
    expect(byNumber?.fields['Name']).toBe('Adatum Corporation');
    expect(byNumber?.fields['Phone No.']).toBe('+1 425 555 0100');
    const byId = await bc.getById('Customer', byNumber!.id);
    expect(byId?.number).toBe('10000');
  });

  it('moves modified-on forward on every edit, even when the clock does not move', async () => {
    const before = (await bc.getByNumber('Customer', '20000'))!;
    const first = await bc.update('Customer', before.id, { 'Phone No.': '1' });
    const second = await bc.update('Customer', before.id, { 'Phone No.': '2' });
    expect(first.modifiedOn.getTime()).toBeGreaterThan(before.modifiedOn.getTime());
    expect(second.modifiedOn.getTime()).toBeGreaterThan(first.modifiedOn.getTime());
    expect(second.etag).not.toBe(first.etag);
    expect(second.fields['Name']).toBe('Trey Research');
  });

  it('refuses an update with a stale etag and keeps the record as it was', async () => {
    const rec = (await bc.getByNumber('Customer', '10000'))!;
    await bc.update('Customer', rec.id, { City: 'Boston' }, rec.etag);
    await expect(bc.update('Customer', rec.id, { City: 'Paris' }, rec.etag)).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
    expect((await bc.getById('Customer', rec.id))?.fields['City']).toBe('Boston');
  });

  it('answers updateMany with one result per input: written, stale etag, unknown id', async () => {
    const a = (await bc.getByNumber('Customer', '10000'))!;
    const b = (await bc.getByNumber('Customer', '20000'))!;
    await bc.update('Customer', b.id, { City: 'Moved' });
    const results = await bc.updateMany('Customer', [
      { id: a.id, fields: { City: 'New York' }, etag: a.etag },
      { id: b.id, fields: { City: 'Stale' }, etag: b.etag },
      { id: 'no-such-id', fields: { City: 'x' } },
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.code))).toEqual(['ok', 'conflict', 'not_found']);
    expect((await bc.getById('Customer', b.id))?.fields['City']).toBe('Moved');
  });

  it('lets only one of two updates of one record in a batch land', async () => {
    const a = (await bc.getByNumber('Customer', '10000'))!;
    const results = await bc.updateMany('Customer', [
      { id: a.id, fields: { City: 'First' } },
      { id: a.id, fields: { City: 'Second' } },
    ]);
    const landed = results.flatMap((r) => (r.ok ? [r.value.fields['City']] : []));
    expect(landed).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toMatchObject([{ code: 'conflict' }]);
    expect((await bc.getById('Customer', a.id))?.fields['City']).toBe(landed[0]);
  });

  it('gives new records the next number and refuses a number that exists, per item', async () => {
    const results = await bc.createMany('Customer', [
      { Name: 'Northwind Traders' },
      { 'No.': '10000', Name: 'Clash' },
    ]);
    expect(results[0]).toMatchObject({ ok: true, value: { number: '60010' } });
    expect(results[1]).toMatchObject({ ok: false, code: 'invalid' });
    const codes = await bc.createMany('Salesperson/Purchaser', [{ Name: 'Jane Oakley' }]);
    expect(codes[0]).toMatchObject({ ok: true, value: { number: 'JO2' } });
  });

  it('lists every record page by page, and only those modified since a time', async () => {
    const all: string[] = [];
    for await (const page of bc.list('Customer', { pageSize: 2 })) all.push(...page.map((r) => r.number));
    expect(all.sort()).toEqual(['10000', '20000', '30000', '40000', '50000', '60000']);
    const mark = (await bc.getByNumber('Customer', '50000'))!.modifiedOn;
    const rec = (await bc.getByNumber('Customer', '30000'))!;
    await bc.update('Customer', rec.id, { City: 'Tampa' });
    const changed: string[] = [];
    for await (const page of bc.list('Customer', { modifiedSince: mark }))
      changed.push(...page.map((r) => r.number));
    expect(changed).toContain('30000');
    expect(changed).not.toContain('10000');
  });

  it('treats operator objects as values that match nothing', async () => {
    expect(await bc.getByNumber('Customer', { $ne: null } as unknown as string)).toBeNull();
    expect(await bc.getById('Customer', { $gt: '' } as unknown as string)).toBeNull();
  });

  it('finds records by name ignoring case, spacing and punctuation', async () => {
    const found = await bc.findByName('Vendor', 'fabrikam inc', 5);
    expect(found.map((r) => r.number)).toEqual(['10000']);
  });
});

describe('SandboxDataverse', () => {
  it('lists only rows inside a filter', async () => {
    const names: string[] = [];
    const filter = [{ field: 'bcbi_companyid', anyOf: [SANDBOX_COMPANY_ID] }];
    for await (const page of dv.list('account', filter, { pageSize: 3 }))
      names.push(...page.map((r) => String(r.fields['name'])));
    expect(names).toContain('Adatum Corporation');
    expect(names).not.toContain('Relecloud');
    expect(names).not.toContain('trey research');
  });

  it('finds rows by exact column value only', async () => {
    expect(await dv.findByField('account', 'name', 'Alpine Ski House', 10)).toHaveLength(2);
    expect(await dv.findByField('account', 'name', 'alpine ski house', 10)).toHaveLength(0);
    expect(await dv.findByField('account', 'name', { $ne: null } as unknown as string, 10)).toHaveLength(0);
    expect(() => dv.findByField('account', '$where', 'x', 10)).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidInput }),
    );
  });

  it.each([
    ['name ignoring case', { field: 'name', value: 'Trey Research' }, 'trey research'],
    ['name ignoring spacing', { field: 'name', value: 'School of Fine Art' }, 'School  of Fine Art'],
    ['name ignoring punctuation', { field: 'name', value: 'Fabrikam, Inc.' }, 'Fabrikam Inc'],
    ['phone digits', { field: 'telephone1', value: '+1 (312) 555-0142' }, 'trey research'],
    [
      'e-mail ignoring case',
      { field: 'emailaddress1', value: 'Robert.Townes@Adatum.com' },
      'Adatum Corporation',
    ],
    ['a shared word', { field: 'name', value: 'Contoso Ltd' }, 'Contoso Pharmaceuticals'],
  ])('proposes candidates by %s', async (_what, probe, expected) => {
    const rows = await dv.findCandidates('account', [probe], 20);
    expect(rows.map((r) => r.fields['name'])).toContain(expected);
  });

  it('keeps full names of people up to date from first and last name', async () => {
    const [created] = await dv.createMany('contact', [{ firstname: 'Ana', lastname: 'Lopez' }]);
    expect(created).toMatchObject({ ok: true, value: { fields: { fullname: 'Ana Lopez' } } });
    const row = created!.ok ? created!.value : null;
    const renamed = await dv.update('contact', row!.id, { lastname: 'Lopez Garcia' });
    expect(renamed.fields['fullname']).toBe('Ana Lopez Garcia');
  });

  it('refuses a stale etag and deletes only existing rows', async () => {
    const row = (await dv.findByField('account', 'name', 'Contoso Pharmaceuticals', 1))[0]!;
    await dv.update('account', row.id, { telephone1: '1' }, row.etag);
    await expect(dv.update('account', row.id, { telephone1: '2' }, row.etag)).rejects.toMatchObject({
      code: ErrorCode.Conflict,
    });
    await dv.delete('account', row.id);
    await expect(dv.delete('account', row.id)).rejects.toMatchObject({ code: ErrorCode.NotFound });
  });
});

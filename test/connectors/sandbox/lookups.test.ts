import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from 'mongodb';
import { ErrorCode } from '../../../core/errors.js';
import { SandboxDataverse } from '../../../connectors/sandbox/sandbox-dataverse.js';
import { dvSeedId, resetSandbox } from '../../../connectors/sandbox/seed.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';

let test: TestDb;
let db: Db;
let dv: SandboxDataverse;

beforeAll(async () => {
  test = await useTestDb();
  db = test.db;
  dv = new SandboxDataverse(db);
});
beforeEach(() => resetSandbox(db));
afterAll(() => test.cleanup());

const EUR = dvSeedId('transactioncurrency', 'eur');
const ADATUM = dvSeedId('account', 'adatum');
const NO_SUCH = '00000000-0000-4000-8000-000000000000';

describe('sandbox Dataverse lookups hold row ids, as the Web API does', () => {
  it('stores the id of an existing currency row; refuses an ISO code or an unknown id for that row alone', async () => {
    const results = await dv.createMany('account', [
      { name: 'Euro row', transactioncurrencyid: EUR },
      { name: 'ISO code', transactioncurrencyid: 'EUR' },
      { name: 'Unknown id', transactioncurrencyid: NO_SUCH },
      { name: 'No currency', transactioncurrencyid: null },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, false, false, true]);
    expect(results[1]).toEqual({
      ok: false,
      code: 'invalid',
      error: 'account.transactioncurrencyid takes the id of a transactioncurrency row, not "EUR".',
    });
    expect(results[2]).toMatchObject({ ok: false, error: expect.stringContaining(`not "${NO_SUCH}"`) });
    const stored = await dv.findByField('account', 'name', 'Euro row', 5);
    expect(stored[0]?.fields['transactioncurrencyid']).toBe(EUR);
    expect(await dv.findByField('account', 'name', 'ISO code', 5)).toEqual([]);
  });

  it('updates the same way: one bad row fails alone in a batch, a single update is refused whole', async () => {
    const before = await dv.get('account', ADATUM);
    const contoso = dvSeedId('account', 'contoso');
    const results = await dv.updateMany('account', [
      { id: ADATUM, fields: { telephone1: '1', transactioncurrencyid: 'USD' } },
      { id: contoso, fields: { transactioncurrencyid: EUR } },
    ]);
    expect(results.map((r) => r.ok)).toEqual([false, true]);
    expect((await dv.get('account', contoso))?.fields['transactioncurrencyid']).toBe(EUR);
    await expect(dv.update('account', ADATUM, { transactioncurrencyid: 'GBP' })).rejects.toMatchObject({
      code: ErrorCode.InvalidInput,
      message: expect.stringContaining('not "GBP"'),
    });
    expect(await dv.get('account', ADATUM)).toEqual(before);
  });
});

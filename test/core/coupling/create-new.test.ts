import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../core/errors.js';
import { dvSeedId, SANDBOX_COMPANY_ID } from '../../../connectors/sandbox/seed.js';
import { makeWorld, user, type World } from './world.js';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});
beforeEach(() => w.reset());
afterAll(() => w.cleanup());

const accountsNamed = async (name: string) => (await w.dv.findByField('account', 'name', name, 50)).length;
const productCount = () => w.db.collection('dv.product').countDocuments({});
/** Relecloud (50000) pays in GBP: its Currency Code reaches Dataverse through the CURRENCY coupling. */
const GBP = dvSeedId('transactioncurrency', 'gbp');
const coupleGbp = () => w.service.couple(user, { bcTable: 'Currency', number: 'GBP', dvId: GBP });

describe('createNew', () => {
  it('creates the account from the mapped fields, with company id and type code, and couples it', async () => {
    await coupleGbp();
    const before = await accountsNamed('Relecloud');
    const result = await w.service.createNew(user, { bcTable: 'Customer', number: '50000' });
    expect(result).toMatchObject({ alreadyCoupled: false, created: 'dv' });
    expect(result.dv?.fields).toMatchObject({
      name: 'Relecloud',
      accountnumber: '50000',
      telephone1: '+1 404 555 0177',
      emailaddress1: 'jesse.homer@relecloud.com',
      creditlimit: 10000,
      transactioncurrencyid: GBP,
      customertypecode: 3,
      statecode: 0,
      bcbi_companyid: SANDBOX_COMPANY_ID,
    });
    expect(result.coupling).toMatchObject({ bcNumber: '50000', origin: 'create-new' });
    expect(await accountsNamed('Relecloud')).toBe(before + 1);
    expect(await w.auditCount()).toBe(2);
  });

  it('refuses a customer whose currency is not coupled, naming the field and the command, and creates nothing', async () => {
    const rows = await w.db.collection('dv.account').countDocuments({});
    await expect(w.service.createNew(user, { bcTable: 'Customer', number: '50000' })).rejects.toMatchObject({
      code: ErrorCode.InvalidInput,
      message: expect.stringContaining(
        'Currency Code GBP cannot be written to transactioncurrencyid: Currency GBP is not coupled to a ' +
          'Dataverse currency; couple it first: couple currency GBP.',
      ),
    });
    expect(await w.db.collection('dv.account').countDocuments({})).toBe(rows);
    expect(await w.couplingCount()).toBe(0);
  });

  it('creates one account for a double click', async () => {
    await coupleGbp();
    const before = await accountsNamed('Relecloud');
    const [a, b] = await Promise.all([
      w.service.createNew(user, { bcTable: 'Customer', number: '50000' }),
      w.service.createNew(user, { bcTable: 'Customer', number: '50000' }),
    ]);
    expect(a.coupling.dvId).toBe(b.coupling.dvId);
    expect([a.alreadyCoupled, b.alreadyCoupled].sort()).toEqual([false, true]);
    expect(await accountsNamed('Relecloud')).toBe(before + 1);
    expect(await w.couplingCount()).toBe(2);
  });

  it('creates a product for an item, toward Dataverse only', async () => {
    const result = await w.service.createNew(user, { bcTable: 'Item', number: '1906-S' });
    expect(result.dv?.fields).toMatchObject({
      productnumber: '1906-S',
      name: 'ATHENS Mobile Pedestal',
      producttypecode: 1,
    });
  });

  it.each([
    [
      'when no data flows to Dataverse (SALESPEOPLE)',
      'Salesperson/Purchaser',
      'JO',
      ErrorCode.NotAllowedByMapping,
    ],
    ['for a blocked customer', 'Customer', '60000', ErrorCode.OutsideFilter],
    ['for a number that does not exist', 'Customer', '99999', ErrorCode.NotFound],
  ] as const)('refuses %s and creates nothing', async (_what, table, number, code) => {
    const rows = await w.db.collection('dv.account').countDocuments({});
    const users = await w.db.collection('dv.systemuser').countDocuments({});
    await expect(w.service.createNew(user, { bcTable: table, number })).rejects.toMatchObject({ code });
    expect(await w.db.collection('dv.account').countDocuments({})).toBe(rows);
    expect(await w.db.collection('dv.systemuser').countDocuments({})).toBe(users);
    expect(await w.couplingCount()).toBe(0);
  });

  it('refuses after the direction is changed to FromIntegrationTable', async () => {
    await w.setMapping('ITEM-PRODUCT', { direction: 'FromIntegrationTable' });
    const before = await productCount();
    await expect(w.service.createNew(user, { bcTable: 'Item', number: '1906-S' })).rejects.toMatchObject({
      code: ErrorCode.NotAllowedByMapping,
      message: expect.stringContaining('direction FromIntegrationTable'),
    });
    expect(await productCount()).toBe(before);
  });

  it('answers "already coupled" for a coupled record and creates nothing', async () => {
    await w.service.couple(user, {
      bcTable: 'Customer',
      number: '10000',
      dvId: (await w.dvRow('account', 'Adatum Corporation')).id,
    });
    const before = await accountsNamed('Adatum Corporation');
    const result = await w.service.createNew(user, { bcTable: 'Customer', number: '10000' });
    expect(result.alreadyCoupled).toBe(true);
    expect(await accountsNamed('Adatum Corporation')).toBe(before);
  });
});

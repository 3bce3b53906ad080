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
/** Relecloud (50000) pays in GBP: its Currency Code reaches Dataverse as the GBP row, by ISO code. */
const GBP = dvSeedId('transactioncurrency', 'gbp');
const USD = dvSeedId('transactioncurrency', 'usd');

describe('createNew', () => {
  it('creates the account from the mapped fields, with company id and type code, and couples it', async () => {
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
    expect(await w.auditCount()).toBe(1);
  });

  it('refuses a customer whose currency Dataverse lacks, naming the currency and the fix, and creates nothing', async () => {
    const rows = await w.db.collection('dv.account').countDocuments({});
    // School of Fine Art (30000) pays in CAD; the sandbox's Dataverse has USD, EUR and GBP.
    await expect(w.service.createNew(user, { bcTable: 'Customer', number: '30000' })).rejects.toMatchObject({
      code: ErrorCode.InvalidInput,
      message: expect.stringContaining(
        'Dataverse has no currency CAD: add it in Dataverse, or synchronize currencies',
      ),
    });
    expect(await w.db.collection('dv.account').countDocuments({})).toBe(rows);
    expect(await w.couplingCount()).toBe(0);
  });

  it('writes a blank currency as the base currency and the owner of a coupled salesperson', async () => {
    const jim = await w.dvRow('systemuser', 'Jim Olive', null);
    await w.service.couple(user, { bcTable: 'Salesperson/Purchaser', number: 'JO', dvId: jim.id });
    // Adatum (10000): no currency (the local one, USD), salesperson JO.
    const adatum = await w.service.createNew(user, { bcTable: 'Customer', number: '10000' });
    expect(adatum.dv?.fields).toMatchObject({ transactioncurrencyid: USD, ownerid: jim.id });
    // Trey Research (20000): salesperson PS has no Dataverse user: created all the same, owner left alone.
    const trey = await w.service.createNew(user, { bcTable: 'Customer', number: '20000' });
    expect(trey.dv?.fields.ownerid).toBeUndefined();
    expect(trey.message).toContain('Salesperson PS is not coupled to a Dataverse user');
  });

  it("links a contact to its company's coupled account, or names the customer to couple first", async () => {
    const contacts = () => w.db.collection('dv.contact').countDocuments({});
    const before = await contacts();
    await expect(w.service.createNew(user, { bcTable: 'Contact', number: 'CT201' })).rejects.toMatchObject({
      message: expect.stringContaining('couple customer 20000 Trey Research first'),
    });
    expect(await contacts()).toBe(before);
    const trey = await w.dvRow('account', 'trey research', null);
    await w.service.couple(user, { bcTable: 'Customer', number: '20000', dvId: trey.id });
    const helen = await w.service.createNew(user, { bcTable: 'Contact', number: 'CT201' });
    expect(helen.dv?.fields.parentcustomerid).toBe(trey.id);
    expect(await contacts()).toBe(before + 1);
  });

  it('leaves one account when the process dies between creating it and saving the coupling', async () => {
    const before = await accountsNamed('Relecloud');
    const insert = w.couplings.insert.bind(w.couplings);
    w.couplings.insert = () => Promise.reject(new Error('the process died'));
    await expect(w.service.createNew(user, { bcTable: 'Customer', number: '50000' })).rejects.toThrow(
      'the process died',
    );
    w.couplings.insert = insert;
    expect(await accountsNamed('Relecloud')).toBe(before + 1);
    const retried = await w.service.createNew(user, { bcTable: 'Customer', number: '50000' });
    expect(retried).toMatchObject({ alreadyCoupled: false, created: 'dv' });
    expect(await accountsNamed('Relecloud')).toBe(before + 1);
    expect(await w.couplingCount()).toBe(1);
  });

  it('creates one account for a double click', async () => {
    const before = await accountsNamed('Relecloud');
    const [a, b] = await Promise.all([
      w.service.createNew(user, { bcTable: 'Customer', number: '50000' }),
      w.service.createNew(user, { bcTable: 'Customer', number: '50000' }),
    ]);
    expect(a.coupling.dvId).toBe(b.coupling.dvId);
    expect([a.alreadyCoupled, b.alreadyCoupled].sort()).toEqual([false, true]);
    expect(await accountsNamed('Relecloud')).toBe(before + 1);
    expect(await w.couplingCount()).toBe(1);
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

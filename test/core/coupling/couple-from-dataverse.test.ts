import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../core/errors.js';
import { OTHER_COMPANY_ID } from '../../../connectors/sandbox/seed.js';
import { makeWorld, user, type World } from './world.js';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});
beforeEach(() => w.reset());
afterAll(() => w.cleanup());

const fromDv = (dvTable: string, id: unknown) => w.service.coupleFromDataverse(user, { dvTable, id });
const customers = () => w.db.collection('bc.customer').countDocuments({});

describe('coupleFromDataverse', () => {
  it('is refused while Synch. Only Coupled Records is on, naming the setting to change', async () => {
    const adatum = await w.dvRow('account', 'Adatum Corporation');
    await expect(fromDv('account', adatum.id)).rejects.toMatchObject({
      code: ErrorCode.NotAllowedByMapping,
      message: expect.stringContaining('mapping customer sync-only-coupled off'),
    });
    expect(await w.couplingCount()).toBe(0);
  });

  it('is refused when data does not flow into Business Central, naming the direction', async () => {
    await w.setMapping('ITEM-PRODUCT', { syncOnlyCoupled: false });
    const desk = await w.dvRow('product', 'ATHENS Desk');
    await expect(fromDv('product', desk.id)).rejects.toMatchObject({
      code: ErrorCode.NotAllowedByMapping,
      message: expect.stringContaining('direction ToIntegrationTable'),
    });
  });

  describe('with Synch. Only Coupled Records off', () => {
    beforeEach(async () => {
      await w.setMapping('CUSTOMER', { syncOnlyCoupled: false });
      await w.setMapping('VENDOR', { syncOnlyCoupled: false });
    });

    it('couples an account to the customer of the same name', async () => {
      const result = await fromDv('account', (await w.dvRow('account', 'Adatum Corporation')).id);
      expect(result).toMatchObject({ alreadyCoupled: false, created: null, mapping: 'CUSTOMER' });
      expect(result.coupling).toMatchObject({ bcNumber: '10000', origin: 'dataverse' });
    });

    it('tells a vendor account from a customer one and matches names ignoring punctuation', async () => {
      const result = await fromDv('account', (await w.dvRow('account', 'Fabrikam Inc')).id);
      expect(result).toMatchObject({ mapping: 'VENDOR', coupling: { bcNumber: '10000' } });
    });

    it('creates the customer in Business Central when none matches, then couples', async () => {
      const before = await customers();
      const result = await fromDv('account', (await w.dvRow('account', 'Contoso Pharmaceuticals')).id);
      expect(result).toMatchObject({
        created: 'bc',
        bc: { fields: { Name: 'Contoso Pharmaceuticals', Blocked: '' } },
      });
      expect(result.bc.number).toBe('60010');
      expect(await customers()).toBe(before + 1);
      expect((await fromDv('account', result.coupling.dvId)).alreadyCoupled).toBe(true);
    });

    it('refuses the second duplicate, whose customer is coupled to the first', async () => {
      const [first, second] = await w.dv.findByField('account', 'name', 'Alpine Ski House', 2);
      await fromDv('account', first!.id);
      await expect(fromDv('account', second!.id)).rejects.toMatchObject({
        code: ErrorCode.AlreadyCoupled,
        message: expect.stringContaining(
          'Customer 40000 Alpine Ski House is already coupled to account Alpine Ski House',
        ),
      });
      expect(await w.couplingCount()).toBe(1);
    });

    const refusals: Array<[string, () => Promise<unknown>, string]> = [
      [
        'a row of another company',
        async () => (await w.dvRow('account', 'Adatum Corporation', OTHER_COMPANY_ID)).id,
        ErrorCode.OutsideFilter,
      ],
      ['an inactive row', async () => (await w.dvRow('account', 'Coho Winery')).id, ErrorCode.OutsideFilter],
      ['an id that is not a GUID', async () => 'not-a-guid', ErrorCode.InvalidInput],
      ['an unknown id', async () => '00000000-0000-4000-8000-000000000000', ErrorCode.NotFound],
      ['an operator object', async () => ({ $gt: '' }), ErrorCode.InvalidInput],
    ];

    it.each(refusals)('refuses %s and changes nothing', async (_what, id, code) => {
      const before = await customers();
      await expect(fromDv('account', await id())).rejects.toMatchObject({ code });
      expect(await customers()).toBe(before);
      expect(await w.couplingCount()).toBe(0);
    });
  });
});

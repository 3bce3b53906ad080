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

const coupleCustomer = (number: string, dvId: unknown, syncAfterCoupling?: unknown) =>
  w.service.couple(user, { bcTable: 'Customer', number, dvId, syncAfterCoupling });

describe('couple', () => {
  it('couples a customer to its account once, audited once; coupling again changes nothing', async () => {
    const adatum = await w.dvRow('account', 'Adatum Corporation');
    const first = await coupleCustomer('10000', adatum.id, 'Yes - Use the Business Central data');
    expect(first).toMatchObject({
      alreadyCoupled: false,
      syncAfterCoupling: 'Yes - Use the Business Central data',
    });
    expect(first.coupling).toMatchObject({
      mapping: 'CUSTOMER',
      bcNumber: '10000',
      dvId: adatum.id,
      coupledBy: user.name,
      origin: 'manual',
    });
    const again = await coupleCustomer('10000', adatum.id.toUpperCase());
    expect(again.alreadyCoupled).toBe(true);
    expect(await w.couplingCount()).toBe(1);
    expect(await w.auditCount()).toBe(1);
    const [entry] = await w.audit.list({ subject: 'customer:10000' });
    expect(entry).toMatchObject({
      action: 'coupling.couple',
      actorId: user.id,
      conversationId: user.conversationId,
      mapping: 'CUSTOMER',
    });
  });

  type Setup = (w: World) => Promise<{ number: string; dvId: unknown; sync?: string }>;
  const refusals: Array<[string, Setup, string, RegExp]> = [
    [
      'an account of another company',
      async (w) => ({
        number: '10000',
        dvId: (await w.dvRow('account', 'Adatum Corporation', OTHER_COMPANY_ID)).id,
      }),
      ErrorCode.OutsideFilter,
      /^Cannot couple Customer 10000 Adatum Corporation to this account because the filters applied to table mapping CUSTOMER are preventing it\. .*bcbi_companyid/,
    ],
    [
      'an inactive account',
      async (w) => ({ number: '10000', dvId: (await w.dvRow('account', 'Coho Winery')).id }),
      ErrorCode.OutsideFilter,
      /statecode: 0/,
    ],
    [
      'a vendor account',
      async (w) => ({ number: '10000', dvId: (await w.dvRow('account', 'Fabrikam Inc')).id }),
      ErrorCode.OutsideFilter,
      /customertypecode: 3/,
    ],
    [
      'a blocked customer',
      async (w) => ({ number: '60000', dvId: (await w.dvRow('account', 'Contoso Pharmaceuticals')).id }),
      ErrorCode.OutsideFilter,
      /^Cannot couple Customer 60000 Coho Winery to this account because .* Table Filter: Blocked: ''/,
    ],
    [
      'an account coupled to another customer',
      async (w) => {
        const adatum = await w.dvRow('account', 'Adatum Corporation');
        await coupleCustomer('20000', adatum.id);
        return { number: '10000', dvId: adatum.id };
      },
      ErrorCode.AlreadyCoupled,
      /^Cannot couple Customer 10000 Adatum Corporation to this account, because the account is already coupled to Customer 20000 Trey Research\.$/,
    ],
    [
      'a customer coupled to another account',
      async (w) => {
        await coupleCustomer('10000', (await w.dvRow('account', 'Adatum Corporation')).id);
        return { number: '10000', dvId: (await w.dvRow('account', 'Contoso Pharmaceuticals')).id };
      },
      ErrorCode.AlreadyCoupled,
      /^Customer 10000 Adatum Corporation is already coupled to account Adatum Corporation .*Delete Coupling first/,
    ],
    [
      'an id that is not a GUID',
      async () => ({ number: '10000', dvId: 'abc' }),
      ErrorCode.InvalidInput,
      /not a Dataverse row id/,
    ],
    [
      'an unknown GUID',
      async () => ({ number: '10000', dvId: '00000000-0000-4000-8000-000000000000' }),
      ErrorCode.NotFound,
      /no account with id/,
    ],
    [
      'an operator object as id',
      async () => ({ number: '10000', dvId: { $ne: null } }),
      ErrorCode.InvalidInput,
      /id/,
    ],
    [
      'a number that does not exist',
      async (w) => ({ number: '99999', dvId: (await w.dvRow('account', 'Contoso Pharmaceuticals')).id }),
      ErrorCode.NotFound,
      /There is no Customer 99999/,
    ],
    [
      'a product id forged into a customer card',
      async (w) => ({ number: '10000', dvId: (await w.dvRow('product', 'ATHENS Desk')).id }),
      ErrorCode.NotFound,
      /no account/,
    ],
    [
      'an unknown Synchronize After Coupling choice',
      async (w) => ({
        number: '10000',
        dvId: (await w.dvRow('account', 'Adatum Corporation')).id,
        sync: 'Maybe',
      }),
      ErrorCode.InvalidInput,
      /Synchronize After Coupling/,
    ],
  ];

  it.each(refusals)('refuses %s and changes nothing', async (_what, setup, code, message) => {
    const input = await setup(w);
    const couplings = await w.couplingCount();
    const audits = await w.auditCount();
    const err = await coupleCustomer(input.number, input.dvId, input.sync).catch((e: unknown) => e);
    expect(err).toMatchObject({ code });
    expect((err as Error).message).toMatch(message);
    expect(await w.couplingCount()).toBe(couplings);
    expect(await w.auditCount()).toBe(audits);
  });

  it('refuses Synchronize After Coupling toward a side the direction does not reach', async () => {
    const desk = await w.dvRow('product', 'ATHENS Desk');
    const attempt = w.service.couple(user, {
      bcTable: 'Item',
      number: '1896-S',
      dvId: desk.id,
      syncAfterCoupling: 'Yes - Use the Dataverse data',
    });
    await expect(attempt).rejects.toMatchObject({ code: ErrorCode.NotAllowedByMapping });
    expect(await w.couplingCount()).toBe(0);
  });

  it('lets exactly one of ten simultaneous couples of the same account win', async () => {
    const adatum = await w.dvRow('account', 'Adatum Corporation');
    const numbers = ['10000', '20000', '30000', '40000', '50000'];
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => coupleCustomer(numbers[i % numbers.length]!, adatum.id)),
    );
    const won = results.filter((r) => r.status === 'fulfilled' && !r.value.alreadyCoupled);
    expect(won).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: ErrorCode.AlreadyCoupled });
    }
    expect(await w.couplingCount()).toBe(1);
    expect(await w.auditCount()).toBe(1);
  });

  it('couples a pair once when ten identical requests arrive together', async () => {
    const adatum = await w.dvRow('account', 'Adatum Corporation');
    const results = await Promise.all(Array.from({ length: 10 }, () => coupleCustomer('10000', adatum.id)));
    expect(results.filter((r) => !r.alreadyCoupled)).toHaveLength(1);
    expect(await w.couplingCount()).toBe(1);
    expect(await w.auditCount()).toBe(1);
  });
});

describe('coupleTo', () => {
  const to = (number: string, dvTable: string, idOrExactName: unknown) =>
    w.service.coupleTo(user, { bcTable: 'Customer', number, dvTable, idOrExactName });

  it('takes the row with that exact name inside the filter', async () => {
    const result = await to('10000', 'account', 'Adatum Corporation');
    expect(result.dv?.fields['bcbi_companyid']).not.toBe(OTHER_COMPANY_ID);
    expect(result.alreadyCoupled).toBe(false);
  });

  it('couples by id too', async () => {
    const adatum = await w.dvRow('account', 'Adatum Corporation');
    expect((await to('10000', 'account', adatum.id)).coupling.dvId).toBe(adatum.id);
  });

  it.each([
    [
      'several rows with that name',
      '40000',
      'account',
      'Alpine Ski House',
      ErrorCode.InvalidInput,
      /Several account rows .*Couple by id/,
    ],
    [
      'a name that is not exact',
      '10000',
      'account',
      'adatum corporation',
      ErrorCode.NotFound,
      /No account is named/,
    ],
    [
      'the wrong Dataverse table',
      '10000',
      'product',
      'ATHENS Desk',
      ErrorCode.InvalidInput,
      /couple to account rows/,
    ],
    ['an unknown Dataverse table', '10000', 'opportunity', 'x', ErrorCode.InvalidInput, /Dataverse tables/],
    [
      'a name only in another company',
      '50000',
      'account',
      'Relecloud',
      ErrorCode.OutsideFilter,
      /filters applied to table mapping CUSTOMER/,
    ],
  ])('refuses %s', async (_what, number, table, name, code, message) => {
    const err = await to(number, table, name).catch((e: unknown) => e);
    expect(err).toMatchObject({ code });
    expect((err as Error).message).toMatch(message);
    expect(await w.couplingCount()).toBe(0);
  });
});

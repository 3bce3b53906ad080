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

const names = (view: Awaited<ReturnType<World['service']['setUpCoupling']>>) =>
  view.candidates.map((c) => String(c.row.fields['name']));

describe('setUpCoupling', () => {
  it('puts the exact match first and leaves out rows of another company', async () => {
    const view = await w.service.setUpCoupling(user, 'Customer', '10000');
    expect(view.label).toBe('Customer 10000 Adatum Corporation');
    expect(view.current).toBeNull();
    const [first] = view.candidates;
    expect(first?.row.fields['name']).toBe('Adatum Corporation');
    expect(first?.reasons).toEqual(['same name', 'same e-mail', 'same phone number']);
    expect(view.candidates.some((c) => c.row.fields['bcbi_companyid'] === OTHER_COMPANY_ID)).toBe(false);
  });

  it.each([
    ['20000', 'trey research', 'same name ignoring case'],
    ['30000', 'School  of Fine Art', 'same name ignoring case, spacing and punctuation'],
  ])('finds the near match of customer %s with its reason', async (number, name, reason) => {
    const view = await w.service.setUpCoupling(user, 'Customer', number);
    expect(view.candidates[0]?.row.fields['name']).toBe(name);
    expect(view.candidates[0]?.reasons).toContain(reason);
  });

  it('ranks the duplicate that also has the same phone above the other', async () => {
    const view = await w.service.setUpCoupling(user, 'Customer', '40000');
    const alpine = view.candidates.filter((c) => c.row.fields['name'] === 'Alpine Ski House');
    expect(alpine.map((c) => c.row.fields['address1_city'])).toEqual(['Atlanta', 'Denver']);
    expect(alpine[0]!.score).toBeGreaterThan(alpine[1]!.score);
  });

  it('offers only rows inside the filter: no other company, no inactive, no vendor accounts', async () => {
    expect(names(await w.service.setUpCoupling(user, 'Customer', '50000'))).not.toContain('Relecloud');
    const vendor = await w.service.setUpCoupling(user, 'Vendor', '10000');
    expect(names(vendor)[0]).toBe('Fabrikam Inc');
    expect(names(await w.service.setUpCoupling(user, 'Vendor', '30000'))).not.toContain(
      'Graphic Design Institute',
    );
  });

  it('marks candidates already coupled, to this record or to another one', async () => {
    const alpine = await w.dvRow('account', 'Alpine Ski House');
    await w.service.couple(user, { bcTable: 'Customer', number: '40000', dvId: alpine.id });
    const own = await w.service.setUpCoupling(user, 'Customer', '40000');
    expect(own.current?.partner?.id).toBe(alpine.id);
    expect(own.candidates.find((c) => c.row.id === alpine.id)?.coupledTo).toMatchObject({
      isThisRecord: true,
    });

    const trey = (await w.dv.findByField('account', 'name', 'trey research', 1))[0]!;
    await w.service.couple(user, { bcTable: 'Customer', number: '20000', dvId: trey.id });
    await w.bc.update('Customer', (await w.bc.getByNumber('Customer', '10000'))!.id, {
      'Phone No.': '+1 312 555 0142',
    });
    const other = await w.service.setUpCoupling(user, 'Customer', '10000');
    expect(other.candidates.find((c) => c.row.id === trey.id)?.coupledTo).toMatchObject({
      label: 'Customer 20000 Trey Research',
      isThisRecord: false,
    });
  });

  it('offers Create New and the Synchronize After Coupling options the direction allows', async () => {
    const customer = await w.service.setUpCoupling(user, 'Customer', '10000');
    expect(customer.canCreateNew).toBe(true);
    expect(customer.syncAfterCouplingOptions).toHaveLength(3);
    const item = await w.service.setUpCoupling(user, 'Item', '1896-S');
    expect(item.candidates[0]?.reasons).toContain('same number (productnumber)');
    expect(item.syncAfterCouplingOptions).toEqual(['No', 'Yes - Use the Business Central data']);
    const salesperson = await w.service.setUpCoupling(user, 'Salesperson/Purchaser', 'JO');
    expect(salesperson.canCreateNew).toBe(false);
    expect(salesperson.candidates[0]?.row.fields['fullname']).toBe('Jim Olive');
  });

  it.each([
    ['a number that does not exist', '99999', ErrorCode.NotFound],
    ['a missing number', '', ErrorCode.InvalidInput],
    ['an operator object', { $ne: null }, ErrorCode.InvalidInput],
    ['oversize text', 'x'.repeat(5000), ErrorCode.InvalidInput],
  ])('refuses %s', async (_what, number, code) => {
    await expect(w.service.setUpCoupling(user, 'Customer', number)).rejects.toMatchObject({ code });
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../core/errors.js';
import { OTHER_COMPANY_ID } from '../../../connectors/sandbox/seed.js';
import type { CouplingRepository } from '../../../core/coupling/coupling-repository.js';
import { CouplingService } from '../../../core/coupling/coupling-service.js';
import type { BcTable } from '../../../core/model/tables.js';
import type { BusinessCentralPort } from '../../../core/ports/business-central.js';
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
    expect(item.candidates[0]?.reasons).toContain('same number (Product ID)');
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

describe('describe (show a record)', () => {
  it('reads a record shown before and its coupling side by side', async () => {
    const service = new CouplingService({
      ...w.deps,
      bc: orderedBc(w.deps.bc),
      couplings: watched(w.couplings),
    });
    const alpine = await w.dvRow('account', 'Alpine Ski House');
    await w.service.couple(user, { bcTable: 'Customer', number: '40000', dvId: alpine.id });
    order.length = 0;
    expect((await service.describe('Customer', '40000')).current?.partner?.id).toBe(alpine.id);
    expect(order).toEqual(['record read', 'coupling asked']);
    order.length = 0;
    expect((await service.describe('Customer', '40000')).current?.partner?.id).toBe(alpine.id);
    expect(order).toEqual(['coupling asked', 'record read']);
  });

  it('notices a number now held by another record and shows that record’s own coupling state', async () => {
    const alpine = await w.dvRow('account', 'Alpine Ski House');
    await w.service.couple(user, { bcTable: 'Customer', number: '40000', dvId: alpine.id });
    const first = await w.service.describe('Customer', '40000');
    expect(first.current?.partner?.id).toBe(alpine.id);
    // The coupled record is deleted in BC and another one created under its number.
    await w.bc.delete('Customer', first.record.id);
    const other = await w.bc.create('Customer', { 'No.': '40000', Name: 'Someone Else', Blocked: '' });
    const again = await w.service.describe('Customer', '40000');
    expect(again.record.id).toBe(other.id);
    expect(again.current).toBeNull();
  });
});

const order: string[] = [];

/** A BC port whose getByNumber answers only once a coupling was asked for, or after a short while. */
function orderedBc(bc: BusinessCentralPort): BusinessCentralPort {
  return Object.assign(Object.create(bc) as BusinessCentralPort, {
    getByNumber: async (table: BcTable, number: string) => {
      const record = await bc.getByNumber(table, number);
      for (let i = 0; i < 50 && !order.includes('coupling asked'); i++)
        await new Promise((resolve) => setTimeout(resolve, 2));
      order.push('record read');
      return record;
    },
  });
}

function watched(couplings: CouplingRepository): CouplingRepository {
  return Object.assign(Object.create(couplings) as CouplingRepository, {
    getByBcId: (mapping: string, bcId: string) => {
      order.push('coupling asked');
      return couplings.getByBcId(mapping, bcId);
    },
  });
}

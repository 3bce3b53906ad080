import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DV_DEFAULT_SELECT, selectFromMappings } from '../../../connectors/http/dv-columns.js';
import { defaultMappings } from '../../../core/mappings/defaults.js';
import { startHarness, type Harness } from '../../kit/loopback/harness.js';

const COMPANY = '6e0b8a4c-0000-4000-8000-0000000000c1';
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('Dataverse columns to read', () => {
  it('from the mappings: every mapped column and every filtered column, per table', () => {
    const select = selectFromMappings(defaultMappings(COMPANY));
    expect(select.account).toEqual(
      expect.arrayContaining([
        'name',
        'telephone1',
        'transactioncurrencyid',
        'statecode',
        'customertypecode',
        'bcbi_companyid',
      ]),
    );
    expect(select.contact).toEqual(expect.arrayContaining(['firstname', 'lastname', 'parentcustomerid']));
    expect(select.product).toEqual(expect.arrayContaining(['productnumber', 'price', 'producttypecode']));
  });

  it('by default cover what the default mappings use', () => {
    const needed = selectFromMappings(defaultMappings(COMPANY));
    for (const [table, columns] of Object.entries(needed)) {
      expect(DV_DEFAULT_SELECT[table as keyof typeof DV_DEFAULT_SELECT]).toEqual(
        expect.arrayContaining(columns),
      );
    }
  });

  it('are accepted in $select by the Web API for every table, lookups as _x_value', async () => {
    const dv = h.connect({ dataverse: { select: selectFromMappings(defaultMappings(COMPANY)) } }).dataverse;
    for (const table of ['account', 'contact', 'product', 'systemuser', 'transactioncurrency'] as const) {
      await expect(
        dv.findByField(table, table === 'account' || table === 'product' ? 'name' : 'statecode', 'x', 1),
      ).resolves.toEqual([]);
    }
  });
});

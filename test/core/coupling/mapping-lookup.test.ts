import { describe, expect, it } from 'vitest';
import { mappingByName, mappingForBcTable, mappingForDvRow } from '../../../core/coupling/mapping-lookup.js';
import { ErrorCode } from '../../../core/errors.js';
import { defaultMappings } from '../../../core/mappings/defaults.js';
import type { DvRow, Fields } from '../../../core/model/record.js';
import type { DvTable } from '../../../core/model/tables.js';

const company = '8f4c2a61-3b7e-4d09-9c15-2e6a7b1d5f30';
const source = { list: async () => defaultMappings(company) };
const row = (table: DvTable, fields: Fields): DvRow => ({ table, id: 'x', fields, modifiedOn: new Date() });

describe('mapping lookup', () => {
  it.each([
    ['Customer', 'CUSTOMER'],
    ['Vendor', 'VENDOR'],
    ['Item', 'ITEM-PRODUCT'],
    ['Resource', 'RESOURCE-PRODUCT'],
    ['Salesperson/Purchaser', 'SALESPEOPLE'],
    ['Currency', 'CURRENCY'],
  ] as const)('couples %s records through %s', async (table, name) => {
    expect((await mappingForBcTable(source, table)).name).toBe(name);
  });

  it('asks a source that can read one mapping for just that one', async () => {
    const asked: string[] = [];
    const narrow = {
      list: async () => [],
      findForBcTable: async (table: string) => {
        asked.push(table);
        return defaultMappings(company).find((m) => m.bcTable === table) ?? null;
      },
    };
    expect((await mappingForBcTable(narrow, 'Vendor')).name).toBe('VENDOR');
    expect(asked).toEqual(['Vendor']);
    await expect(mappingForBcTable({ ...narrow, findForBcTable: async () => null }, 'Item')).rejects.toThrow(
      /No table mapping couples Business Central Item records/,
    );
  });

  it.each([
    ['a customer account', row('account', { customertypecode: 3, statecode: 0 }), 'CUSTOMER'],
    ['a vendor account', row('account', { customertypecode: 11, statecode: 0 }), 'VENDOR'],
    [
      'an inactive customer account (refused later by its filter)',
      row('account', { customertypecode: 3, statecode: 1 }),
      'CUSTOMER',
    ],
    [
      'another company’s vendor account',
      row('account', { customertypecode: 11, bcbi_companyid: 'other' }),
      'VENDOR',
    ],
    ['a sales inventory product', row('product', { producttypecode: 1 }), 'ITEM-PRODUCT'],
    ['a services product', row('product', { producttypecode: 3 }), 'RESOURCE-PRODUCT'],
    ['a contact', row('contact', {}), 'CONTACT'],
  ])('resolves %s to %s', async (_what, r, name) => {
    expect((await mappingForDvRow(source, r)).name).toBe(name);
  });

  it('refuses an account of neither type, naming the mappings', async () => {
    await expect(mappingForDvRow(source, row('account', { customertypecode: 1 }))).rejects.toMatchObject({
      code: ErrorCode.OutsideFilter,
      message: expect.stringContaining('CUSTOMER, VENDOR'),
    });
  });

  it('finds mappings by name case-insensitively and names the real ones otherwise', async () => {
    expect((await mappingByName(source, 'item-product')).name).toBe('ITEM-PRODUCT');
    await expect(mappingByName(source, { $ne: null })).rejects.toMatchObject({ code: ErrorCode.NotFound });
  });
});

import { describe, expect, it } from 'vitest';
import { bcApiField, fromApi, toApi } from '../../../connectors/http/bc-entities.js';
import { defaultMappings } from '../../../core/mappings/defaults.js';

describe('Business Central field translation', () => {
  it('knows which fields of the default mappings API v2.0 does not offer (they cannot be synchronized over HTTP)', () => {
    const missing = defaultMappings('6e0b8a4c-0000-4000-8000-0000000000c1')
      .filter((m) => m.bcTable !== 'Resource')
      .flatMap((m) =>
        [...m.fields.map((f) => f.bcField), ...m.tableFilter.map((c) => c.field)].map(
          (f) => [m.bcTable, f] as const,
        ),
      )
      .filter(([table, field]) => bcApiField(table, field) === undefined)
      .map(([table, field]) => `${table}.${field}`);
    expect([...new Set(missing)]).toEqual([
      'Customer.Contact',
      'Customer.Primary Contact No.',
      'Vendor.Contact',
      'Vendor.Primary Contact No.',
      'Vendor.Purchaser Code',
      'Contact.First Name',
      'Contact.Middle Name',
      'Contact.Surname',
      'Contact.Job Title',
      'Contact.Fax No.',
      'Contact.Salesperson Code',
      'Currency.Currency Factor',
    ]);
  });

  it('round-trips option and boolean Blocked values as the mappings expect', () => {
    const json = {
      id: 'a',
      number: '1',
      displayName: 'X',
      blocked: ' ',
      lastModifiedDateTime: '2025-01-01T00:00:00Z',
    };
    expect(fromApi('Customer', json).fields.Blocked).toBe('');
    expect(toApi('Customer', { Blocked: '' })).toEqual({ blocked: ' ' });
    expect(toApi('Vendor', { Blocked: 'All' })).toEqual({ blocked: 'All' });
    expect(toApi('Item', { Blocked: false })).toEqual({ blocked: false });
  });

  it('keys currencies and salespeople by code', () => {
    const json = {
      id: 'a',
      code: 'JS',
      displayName: 'Jennifer Smith',
      phoneNo: '1',
      lastModifiedDateTime: '2025-01-01T00:00:00Z',
    };
    expect(fromApi('Salesperson/Purchaser', json)).toMatchObject({
      number: 'JS',
      fields: { Code: 'JS', Name: 'Jennifer Smith', 'Phone No.': '1' },
    });
  });
});

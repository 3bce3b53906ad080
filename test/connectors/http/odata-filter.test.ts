import { describe, expect, it } from 'vitest';
import { queryColumn } from '../../../connectors/http/dv-entities.js';
import { toODataFilter } from '../../../connectors/http/odata-filter.js';
import type { TableFilter } from '../../../core/model/filter.js';

const GUID = '5D115C9C-44E3-EA11-BB43-000D3A2FECA1';
const account = (filter: TableFilter) => toODataFilter(filter, (field) => queryColumn('account', field));

describe('TableFilter → OData $filter', () => {
  it.each<[string, TableFilter, string | undefined]>([
    ['no condition', [], undefined],
    ['one number', [{ field: 'statecode', anyOf: [0] }], 'statecode eq 0'],
    ['text quoted, quotes doubled', [{ field: 'name', anyOf: ["O'Neil"] }], "name eq 'O''Neil'"],
    [
      'any of → or, in parentheses',
      [{ field: 'customertypecode', anyOf: [3, 11] }],
      '(customertypecode eq 3 or customertypecode eq 11)',
    ],
    [
      'empty text and null are one "empty"',
      [{ field: 'accountnumber', anyOf: ['', null] }],
      'accountnumber eq null',
    ],
    [
      'a lookup: _x_value, GUID unquoted and lower case',
      [{ field: 'bcbi_companyid', anyOf: [GUID, null] }],
      `(_bcbi_companyid_value eq ${GUID.toLowerCase()} or _bcbi_companyid_value eq null)`,
    ],
    [
      'a GUID-looking text in a text column stays quoted',
      [{ field: 'name', anyOf: [GUID] }],
      `name eq '${GUID}'`,
    ],
    [
      'not → ne, joined by and',
      [{ field: 'statecode', anyOf: [1, 2], not: true }],
      '(statecode ne 1 and statecode ne 2)',
    ],
    ['booleans', [{ field: 'donotemail', anyOf: [true] }], 'donotemail eq true'],
    [
      'conditions → and',
      [
        { field: 'statecode', anyOf: [0] },
        { field: 'name', anyOf: ['A'] },
      ],
      "statecode eq 0 and name eq 'A'",
    ],
  ])('%s', (_name, filter, expected) => {
    expect(account(filter)).toBe(expected);
  });
});

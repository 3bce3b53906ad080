import { describe, expect, it } from 'vitest';
import { computePatch, type Pass } from '../../../core/sync/fields.js';
import type { FieldMapping } from '../../../core/model/mapping.js';
import type { Fields } from '../../../core/model/record.js';
import { sameValue } from '../../../core/sync/values.js';
import { fm, mapping } from './pure-factory.js';

interface Case {
  name: string;
  fields?: FieldMapping[];
  pass: Pass;
  source: Fields;
  target: Fields | null;
  patch: Fields;
  errors?: string[];
}

const name = fm('Name', 'name', 'Bidirectional');
const cases: Case[] = [
  {
    name: 'a bidirectional field that differs is sent to Dataverse',
    pass: 'ToIntegrationTable',
    source: { Name: 'Adatum Corp', 'Phone No.': '1', 'No.': '10000' },
    target: { name: 'Adatum', telephone1: '1', accountnumber: '10000' },
    patch: { name: 'Adatum Corp' },
  },
  {
    name: 'equal values write nothing (Unchanged)',
    pass: 'ToIntegrationTable',
    source: { Name: 'Adatum', 'No.': '10000', 'Credit Limit (LCY)': 5 },
    target: { name: 'Adatum', accountnumber: '10000', creditlimit: 5 },
    patch: {},
  },
  {
    name: 'blank text and null are the same value',
    pass: 'FromIntegrationTable',
    source: { name: 'Adatum', telephone1: null },
    target: { Name: 'Adatum', 'Phone No.': '' },
    patch: {},
  },
  {
    name: 'one-way fields to Dataverse are not read back from Dataverse',
    pass: 'FromIntegrationTable',
    source: { name: 'Adatum', accountnumber: 'X-1', creditlimit: 1 },
    target: { Name: 'Adatum', 'No.': '10000', 'Credit Limit (LCY)': 99 },
    patch: {},
  },
  {
    name: 'one-way fields from Dataverse are not sent to Dataverse',
    fields: [fm('Salesperson Code', 'ownerid', 'FromIntegrationTable')],
    pass: 'ToIntegrationTable',
    source: { 'Salesperson Code': 'AB' },
    target: { ownerid: 'CD' },
    patch: {},
  },
  {
    name: 'disabled field mappings are ignored',
    fields: [fm('Name', 'name', 'Bidirectional', { status: 'Disabled' })],
    pass: 'ToIntegrationTable',
    source: { Name: 'New' },
    target: { name: 'Old' },
    patch: {},
  },
  {
    name: 'a constant value is written instead of the source, as a number when the column holds numbers',
    fields: [fm('Type', 'customertypecode', 'ToIntegrationTable', { constant: '3' })],
    pass: 'ToIntegrationTable',
    source: {},
    target: { customertypecode: 11 },
    patch: { customertypecode: 3 },
  },
  {
    name: 'transformations trim and upper-case in order',
    fields: [fm('City', 'address1_city', 'Bidirectional', { transformation: 'trim,uppercase' })],
    pass: 'ToIntegrationTable',
    source: { City: '  Seattle ' },
    target: { address1_city: 'Seattle' },
    patch: { address1_city: 'SEATTLE' },
  },
  {
    name: 'lower-case transformation',
    fields: [fm('E-Mail', 'emailaddress1', 'Bidirectional', { transformation: 'lowercase' })],
    pass: 'FromIntegrationTable',
    source: { emailaddress1: 'A@B.COM' },
    target: { 'E-Mail': 'a@b.com' },
    patch: {},
  },
  {
    name: 'an unknown transformation fails the record and names the field',
    fields: [fm('City', 'address1_city', 'Bidirectional', { transformation: 'reverse' })],
    pass: 'ToIntegrationTable',
    source: { City: 'Oslo' },
    target: { address1_city: 'x' },
    patch: {},
    errors: ['The transformation rule "reverse" on field City is unknown; use trim, uppercase, lowercase.'],
  },
  {
    name: 'a value too long for the target fails with a message naming the field',
    pass: 'ToIntegrationTable',
    source: { Name: 'A', 'No.': 'C'.repeat(21) },
    target: { name: 'B', accountnumber: '10000' },
    patch: { name: 'A' },
    errors: ['The value of No. (21 characters) is too long for accountnumber (maximum 20).'],
  },
  {
    name: 'text that is a number is written to a number column as a number',
    fields: [fm('Credit Limit (LCY)', 'creditlimit', 'ToIntegrationTable')],
    pass: 'ToIntegrationTable',
    source: { 'Credit Limit (LCY)': '1500' },
    target: { creditlimit: 1000 },
    patch: { creditlimit: 1500 },
  },
  {
    name: 'text that is not a number cannot be written to a number column',
    fields: [fm('Credit Limit (LCY)', 'creditlimit', 'ToIntegrationTable')],
    pass: 'ToIntegrationTable',
    source: { 'Credit Limit (LCY)': 'lots' },
    target: { creditlimit: 1000 },
    patch: {},
    errors: [
      'The value of Credit Limit (LCY) ("lots") cannot be written to creditlimit, which holds a number.',
    ],
  },
  {
    name: 'a new record receives every non-blank value',
    pass: 'ToIntegrationTable',
    source: { Name: 'Trey', 'Phone No.': '', 'No.': '20000', 'Credit Limit (LCY)': 0 },
    target: null,
    patch: { name: 'Trey', accountnumber: '20000', creditlimit: 0 },
  },
  {
    name: 'a case change is a change',
    fields: [name],
    pass: 'FromIntegrationTable',
    source: { name: 'ADATUM' },
    target: { Name: 'Adatum' },
    patch: { Name: 'ADATUM' },
  },
];

describe('computePatch', () => {
  it.each(cases)('$name', (c) => {
    const p = computePatch(c.fields ?? mapping().fields, c.pass, c.source, c.target);
    expect(p.fields).toEqual(c.patch);
    expect(p.errors).toEqual(c.errors ?? []);
    expect(p.changes.map((ch) => ch.new)).toEqual(Object.values(c.patch));
  });

  it('reports each change as old → new on the written side', () => {
    const p = computePatch(
      mapping().fields,
      'FromIntegrationTable',
      { telephone1: '+1 425' },
      { 'Phone No.': '555' },
    );
    expect(p.changes).toEqual([
      { bcField: 'Phone No.', dvField: 'telephone1', side: 'bc', old: '555', new: '+1 425' },
    ]);
  });

  it('narrows to the fields the caller includes', () => {
    const p = computePatch(
      mapping().fields,
      'ToIntegrationTable',
      { Name: 'A', 'Phone No.': '1' },
      { name: 'B', telephone1: '2' },
      { include: (f) => f.bcField === 'Name' },
    );
    expect(p.fields).toEqual({ name: 'A' });
  });
});

describe('sameValue', () => {
  it.each([
    [null, '', true],
    [undefined, null, true],
    ['a', 'A', false],
    [1, '1', false],
    [0, null, false],
    [false, false, true],
  ] as const)('%j vs %j → %s', (a, b, expected) => {
    expect(sameValue(a, b)).toBe(expected);
  });
});

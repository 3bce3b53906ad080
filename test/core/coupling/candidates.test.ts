import { describe, expect, it } from 'vitest';
import { buildProbes, rankRows, scoreRow } from '../../../core/coupling/candidates.js';
import { nameTokens, normaliseName, phoneKey } from '../../../core/model/normalise.js';
import { defaultMappings } from '../../../core/mappings/defaults.js';
import type { BcRecord, DvRow, Fields } from '../../../core/model/record.js';

const customerMapping = defaultMappings('c')[0]!;
const bc: BcRecord = {
  table: 'Customer',
  id: 'b',
  number: '10000',
  fields: {
    'No.': '10000',
    Name: 'Fabrikam, Inc.',
    'E-Mail': 'Sales@Fabrikam.com',
    'Phone No.': '+1 (425) 555-0100',
  },
  modifiedOn: new Date(),
};
const account = (id: string, fields: Fields): DvRow => ({
  table: 'account',
  id,
  fields,
  modifiedOn: new Date(),
});
const probes = buildProbes(customerMapping, bc);

describe('candidate ranking', () => {
  it('looks for the name, number, e-mail and phone of the record', () => {
    expect(probes.map((p) => p.field).sort()).toEqual([
      'accountnumber',
      'emailaddress1',
      'name',
      'telephone1',
    ]);
  });

  it.each([
    ['the same number', { accountnumber: '10000' }, 100, 'same number (Account Number)'],
    ['the same e-mail in another case', { emailaddress1: 'sales@fabrikam.com' }, 90, 'same e-mail'],
    ['the same phone written differently', { telephone1: '425.555.0100' }, 80, 'same phone number'],
    ['the same name', { name: 'Fabrikam, Inc.' }, 70, 'same name'],
    ['the name in another case', { name: 'FABRIKAM, INC.' }, 60, 'same name ignoring case'],
    [
      'the name without punctuation',
      { name: 'Fabrikam Inc' },
      50,
      'same name ignoring case, spacing and punctuation',
    ],
    ['a shared word', { name: 'Fabrikam Residences' }, 25, 'name shares "fabrikam"'],
  ])('scores %s', (_what, fields, score, reason) => {
    expect(scoreRow('account', probes, account('a', fields))).toMatchObject({ score, reasons: [reason] });
  });

  it('ranks rows agreeing on more keys first and drops rows agreeing on none', () => {
    const rows = [
      account('word', { name: 'Fabrikam Residences' }),
      account('none', { name: 'Contoso' }),
      account('both', { name: 'Fabrikam Inc', telephone1: '4255550100' }),
      account('exact', { name: 'Fabrikam, Inc.' }),
    ];
    expect(rankRows('account', probes, rows, 15).map((s) => s.row.id)).toEqual(['both', 'exact', 'word']);
    expect(rankRows('account', probes, rows, 1)).toHaveLength(1);
  });

  it.each([
    ['Fabrikam, Inc.', 'fabrikam inc'],
    ['School  of Fine Art', 'school of fine art'],
    ['Café Müller & Co', 'cafe muller and co'],
  ])('normalises %s to %s', (input, expected) => {
    expect(normaliseName(input)).toBe(expected);
  });

  it('ignores words that only say what kind of company it is, and short phone numbers', () => {
    expect(nameTokens('Adatum Corporation')).toEqual(['adatum']);
    expect(phoneKey('555-01')).toBe('');
  });
});

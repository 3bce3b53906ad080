import { describe, expect, it } from 'vitest';
import { candidateFilter, significantPart } from '../../../connectors/http/dv-candidates.js';

describe('candidate search', () => {
  it.each([
    ['The Adatum Corporation', 'Adatum'],
    ['Adatum Corp.', 'Adatum'],
    ['Fabrikam, Inc.', 'Fabrikam'],
    ['A B', 'A B'],
    ['Müller GmbH', 'Müller'],
  ])('searches %j by its significant part %j', (name, part) => {
    expect(significantPart(name)).toBe(part);
  });

  it('asks names by contains and the rest by equality, any of them', () => {
    expect(
      candidateFilter('account', [
        { field: 'name', value: "O'Neil Bikes Ltd" },
        { field: 'emailaddress1', value: 'info@oneil.com' },
        { field: 'telephone1', value: ' ' },
      ]),
    ).toBe("contains(name,'O''Neil') or emailaddress1 eq 'info@oneil.com'");
    expect(candidateFilter('contact', [{ field: 'fullname', value: 'Ana Bay' }])).toBe(
      "contains(fullname,'Ana')",
    );
    expect(candidateFilter('account', [])).toBeUndefined();
  });
});

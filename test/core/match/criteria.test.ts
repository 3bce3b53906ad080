import { describe, expect, it } from 'vitest';
import { criteriaOf, resetCriteria, validateCriteria, withCriteria } from '../../../core/match/criteria.js';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import { customerMapping } from './factory.js';

function refusal(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a refusal');
}

const mapping = () =>
  withCriteria(
    customerMapping(),
    validateCriteria(customerMapping(), { fields: [{ bcField: 'Name', match: true }] }),
  );

describe('match criteria', () => {
  it('offers every field mapping without a constant, with its saved settings', () => {
    const c = criteriaOf(mapping());
    expect(c.fields.map((f) => f.bcField)).toEqual([
      'No.',
      'Name',
      'City',
      'E-Mail',
      'Phone No.',
      'Post Code',
    ]);
    expect(c.fields.filter((f) => f.match).map((f) => f.bcField)).toEqual(['Name']);
  });

  it('accepts card text for flags and priorities; blank priority means 0', () => {
    const c = validateCriteria(mapping(), {
      fields: [
        { bcField: 'e-mail', match: 'true', caseSensitive: 'true', priority: '' },
        { bcField: 'Name', match: 'true', priority: '2' },
      ],
      createNew: 'true',
      syncAfterCoupling: 'Yes - Use the Business Central data',
    });
    expect(c.fields.find((f) => f.bcField === 'E-Mail')).toEqual({
      bcField: 'E-Mail',
      dvField: 'emailaddress1',
      match: true,
      caseSensitive: true,
      priority: 0,
    });
    expect(c.fields.find((f) => f.bcField === 'Name')?.priority).toBe(2);
    expect(c).toMatchObject({ createNew: true, syncAfterCoupling: 'Yes - Use the Business Central data' });
  });

  it('saves into the mapping and reads back the same criteria', () => {
    const c = validateCriteria(mapping(), {
      fields: [{ bcField: 'City', match: true, priority: 1 }],
      resolveUpdateConflicts: 'Get Update from Integration',
    });
    const saved = withCriteria(mapping(), c);
    expect(criteriaOf(saved)).toEqual({ ...c, resolveUpdateConflicts: 'None' });
  });

  it("never changes the mapping's Resolve Update Conflicts: the card's choice is that run's only", () => {
    const c = validateCriteria(mapping(), { resolveUpdateConflicts: 'Send Update to Integration' });
    expect(c.resolveUpdateConflicts).toBe('Send Update to Integration');
    expect(withCriteria(mapping(), c).updateConflictResolution).toBe('None');
  });

  it.each([
    [
      'an unknown field',
      { fields: [{ bcField: 'Shoe Size', match: true }] },
      ErrorCode.InvalidInput,
      /has no field "Shoe Size"/,
    ],
    [
      'a field with a constant',
      { fields: [{ bcField: 'Type', match: true }] },
      ErrorCode.InvalidInput,
      /constant value "3".*cannot be a match field/,
    ],
    [
      'a negative priority',
      { fields: [{ bcField: 'Name', priority: -1 }] },
      ErrorCode.InvalidInput,
      /Match Priority/,
    ],
    [
      'a fractional priority',
      { fields: [{ bcField: 'Name', priority: '1.5' }] },
      ErrorCode.InvalidInput,
      /Match Priority/,
    ],
    [
      'an operator object',
      { fields: [{ bcField: { $ne: null }, match: true }] },
      ErrorCode.InvalidInput,
      /fields.0.bcField/,
    ],
    ['an unexpected key', { fields: [], $where: '1' }, ErrorCode.InvalidInput, /Match criteria/],
    [
      'no match field left',
      { fields: [{ bcField: 'Name', match: false }] },
      ErrorCode.NoMatchCriteria,
      /You must specify which fields/,
    ],
  ])('refuses %s', (_, input, code, message) => {
    const r = refusal(() => validateCriteria(mapping(), input));
    expect(r.code).toBe(code);
    expect(r.message).toMatch(message);
  });

  it('refuses Create New when data only flows from Dataverse', () => {
    const from = withCriteria(customerMapping('FromIntegrationTable'), criteriaOf(mapping()));
    expect(refusal(() => validateCriteria(from, { createNew: true })).message).toMatch(
      /FromIntegrationTable/,
    );
  });

  it('refuses Resolve Update Conflicts on a one-way mapping', () => {
    const to = withCriteria(customerMapping('ToIntegrationTable'), criteriaOf(mapping()));
    const r = refusal(() => validateCriteria(to, { resolveUpdateConflicts: 'Send Update to Integration' }));
    expect(r.message).toMatch(/bidirectional mappings only; CUSTOMER is ToIntegrationTable/);
  });

  it("Reset Criteria brings back the default mapping's settings", () => {
    const defaults = mapping();
    const changed = withCriteria(
      defaults,
      validateCriteria(defaults, {
        fields: [
          { bcField: 'Name', match: false },
          { bcField: 'E-Mail', match: true, caseSensitive: true, priority: 4 },
        ],
        createNew: true,
      }),
    );
    expect(resetCriteria(changed, defaults)).toEqual(criteriaOf(defaults));
  });
});

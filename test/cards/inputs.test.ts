import { describe, expect, it } from 'vitest';
import { selectedRowIds, submittedCriteria } from '../../cards/inputs.js';

describe('selectedRowIds', () => {
  it.each([
    [
      {
        verb: 'ca.match.approveSelected',
        runId: 'r',
        'row:0:a': 'true',
        'row:1:b': 'false',
        'row:2:c': 'true',
      },
      ['0:a', '2:c'],
    ],
    [{ 'row:0:a': true }, ['0:a']],
    [{ 'row:': 'true', rowX: 'true', 'row:0:a': 'yes' }, []],
    [{}, []],
  ])('reads the ticked rows of %j', (value, ids) => {
    expect(selectedRowIds(value)).toEqual(ids);
  });
});

describe('submittedCriteria', () => {
  it('groups the per-field inputs by field and keeps the options that were on the card', () => {
    const value = {
      verb: 'ca.match.run',
      mapping: 'CUSTOMER',
      'match:Name': 'true',
      'case:Name': 'false',
      'priority:Name': '1',
      'match:Phone No.': 'false',
      createNew: 'true',
      syncAfterCoupling: 'No',
    };
    expect(submittedCriteria(value)).toEqual({
      fields: [
        { bcField: 'Name', match: 'true', caseSensitive: 'false', priority: '1' },
        { bcField: 'Phone No.', match: 'false' },
      ],
      createNew: 'true',
      syncAfterCoupling: 'No',
    });
  });

  it('is null when the click carried no criteria (use the saved ones)', () => {
    expect(submittedCriteria({ verb: 'ca.match.run', mapping: 'CUSTOMER' })).toBeNull();
  });
});

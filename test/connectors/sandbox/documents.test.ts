import { describe, expect, it } from 'vitest';
import { bcDoc, encodeFields, storedFields } from '../../../connectors/sandbox/documents.js';

describe('sandbox field names in MongoDB', () => {
  it.each([
    ['a plain name', 'Name', 'Name'],
    ['a name with dots', 'Phone No.', 'Phone No\uff0e'],
    ['a name starting with $', '$type', '\uff04type'],
    ['a name with both', '$a.b.c', '\uff04a\uff0eb\uff0ec'],
  ])('stores %s in a form MongoDB accepts and reads it back unchanged', (_label, name, stored) => {
    expect(Object.keys(encodeFields({ [name]: 'x' }))).toEqual([stored]);
    const doc = bcDoc('Customer', 'id-1', { [name]: 'x', 'No.': '1' }, new Date(0), '1');
    expect(storedFields(doc)).toEqual({ [name]: 'x', 'No.': '1' });
  });
});

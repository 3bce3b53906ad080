import { describe, expect, it } from 'vitest';
import { isSelected } from '../../../core/coupling/number-selection.js';
import { ErrorCode } from '../../../core/errors.js';
import { parseScope, scopeText } from '../../../core/match/match-scope.js';

describe('parseScope: the records a match run is limited to, from card data', () => {
  it.each([
    [undefined, { kind: 'all' }],
    ['', { kind: 'all' }],
    ['Modified', { kind: 'modified' }],
    [
      '10000..30000, 40000',
      { kind: 'numbers', selection: [{ from: '10000', to: '30000' }, { number: '40000' }] },
    ],
    ['1896-s', { kind: 'numbers', selection: [{ number: '1896-S' }] }],
  ])('%j reads as %j', (text, scope) => {
    expect(parseScope(text)).toEqual(scope);
  });

  it.each([
    [
      '30000..10000',
      /The range 30000\.\.10000 runs backwards: put the lower number first \(10000\.\.30000\)\. Nothing was run\./,
    ],
    ['10000..', /'10000\.\.' is not a range of numbers/],
    ['1..2..3', /not a range of numbers/],
    ["10000' or 1", /is not a Business Central number/],
    ['X'.repeat(21), /is not a Business Central number/],
    [{ $gt: '' }, /That is not a match scope/],
  ])('%j is refused: %s', (text, message) => {
    expect(() => parseScope(text)).toThrow(message);
    try {
      parseScope(text);
    } catch (e) {
      expect(e).toMatchObject({ code: ErrorCode.InvalidInput });
    }
  });

  it('writes back the text it reads', () => {
    for (const text of ['', 'modified', '10000..30000, 40000'])
      expect(scopeText(parseScope(text))).toBe(text);
  });
});

describe('isSelected: BC order, both ends of a range included', () => {
  const selection = [{ from: '9000', to: '20000' }, { number: 'c00010' }];
  it.each([
    ['9000', true],
    ['10000', true],
    ['20000', true],
    ['30000', false],
    ['900', false],
    ['C00010', true],
    ['C00011', false],
  ])('%s → %s', (number, selected) => {
    expect(isSelected(number, selection)).toBe(selected);
  });
});

import { describe, expect, it } from 'vitest';
import { compareNumbers, expandSelection, MAX_SELECTED } from '../../../core/coupling/number-selection.js';
import { ErrorCode } from '../../../core/errors.js';
import type { BcRecord } from '../../../core/model/record.js';

const bcWith = (numbers: string[]) => ({
  async *list() {
    yield numbers.map((number) => ({ number }) as BcRecord);
  },
});

describe('compareNumbers (BC order of record numbers)', () => {
  it('orders all-digit numbers as numbers and others as text, ignoring case', () => {
    expect(['10000', '9000', 'C00010', 'c00002', '20000'].sort(compareNumbers)).toEqual([
      '9000',
      '10000',
      '20000',
      'c00002',
      'C00010',
    ]);
  });
});

describe('expandSelection', () => {
  const bc = bcWith(['9000', '10000', '20000', '30000', '40000']);

  it('expands ranges to the records that exist, in the order given, without repeats', async () => {
    const picked = await expandSelection(
      'Customer',
      [{ number: '40000' }, { from: '9500', to: '30000' }, { number: '20000' }],
      bc,
    );
    expect(picked).toEqual(['40000', '10000', '20000', '30000']);
  });

  it('keeps a number typed on its own even when it does not exist', async () => {
    expect(await expandSelection('Customer', [{ number: '55555' }], bc)).toEqual(['55555']);
  });

  it('says so when a range selects nothing, and refuses more than it takes at a time', async () => {
    await expect(expandSelection('Customer', [{ from: '50000', to: '60000' }], bc)).rejects.toMatchObject({
      code: ErrorCode.NotFound,
    });
    const many = bcWith(Array.from({ length: MAX_SELECTED + 1 }, (_, i) => String(10000 + i)));
    await expect(expandSelection('Customer', [{ from: '10000', to: '99999' }], many)).rejects.toMatchObject({
      code: ErrorCode.InvalidInput,
    });
  });
});

import { describe, expect, it } from 'vitest';
import type { ReadCosts } from '../../../core/ports/business-central.js';
import { chooseRead } from '../../../core/sync/read-choice.js';

/** Read costs of a system with `rows` rows; counts how often the table was counted. */
function costs(rows: number, pageSize = 5000, perRequest = 250) {
  const counted: string[] = [];
  const c: ReadCosts<'t'> = {
    pageSize,
    idsPerRequest: () => perRequest,
    count: async (table) => (counted.push(table), rows),
  };
  return { c, counted };
}

describe('choosing paged or by-id reads for a full synchronization', () => {
  it('reads by id where reads are not requests (no read costs: the sandbox)', async () => {
    expect(await chooseRead(undefined, 't', { coupled: 100_000, listsTableAnyway: false })).toEqual({
      way: 'by-id',
    });
  });

  it('pages without counting when the run lists the whole table anyway', async () => {
    const { c, counted } = costs(1_000_000);
    expect((await chooseRead(c, 't', { coupled: 10, listsTableAnyway: true })).way).toBe('paged');
    expect(counted).toEqual([]);
  });

  it('reads by id without counting when the coupled records fit in one request', async () => {
    const { c, counted } = costs(1_000_000);
    expect((await chooseRead(c, 't', { coupled: 250, listsTableAnyway: false })).way).toBe('by-id');
    expect(counted).toEqual([]);
  });

  it.each([
    // coupled, rows in the table, expected: by-id requests vs pages of 5,000
    [10_000, 10_000, 'paged'], // 40 by id vs 2 pages
    [100_000, 100_000, 'paged'], // 400 vs 20
    [1_000, 1_000_000, 'by-id'], // 4 vs 200
    [1_000, 15_000, 'paged'], // 4 vs 3
    [1_000, 20_000, 'by-id'], // 4 vs 4: a tie keeps the reads by id
  ] as const)(
    'counts, then picks the fewer requests: %i coupled of %i rows → %s',
    async (coupled, rows, way) => {
      const { c, counted } = costs(rows);
      const expected = rows === 20_000 ? 'by-id' : way;
      expect((await chooseRead(c, 't', { coupled, listsTableAnyway: false })).way).toBe(expected);
      expect(counted).toEqual(['t']);
    },
  );
});

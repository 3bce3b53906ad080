import { describe, expect, it } from 'vitest';
import { explainConflicts } from '../../../connectors/http/dv-conflicts.js';
import type { DvRow } from '../../../core/model/record.js';
import type { WriteResult } from '../../../core/ports/business-central.js';

const row = (id: string, name: string | null): DvRow => ({
  table: 'account',
  id,
  fields: { name },
  modifiedOn: new Date('2026-01-01T00:00:00Z'),
});
const stale = (id: string): WriteResult<DvRow> => ({
  ok: false,
  code: 'conflict',
  error: `account ${id} was changed in Dataverse since it was read; nothing was overwritten. Try again.`,
});

describe('412s of a Dataverse batch, re-read to be told as people know them', () => {
  it('names a changed row, says a deleted one is gone, and leaves other answers alone', async () => {
    const ok: WriteResult<DvRow> = { ok: true, value: row('a', 'Written') };
    const refused: WriteResult<DvRow> = { ok: false, error: 'Dataverse answered 400: bad' };
    const asked: string[][] = [];
    const out = await explainConflicts(
      'account',
      ['a', 'B', 'c', 'd', 'e'],
      [ok, stale('B'), stale('c'), refused, stale('e')],
      async (ids) => {
        asked.push([...ids]);
        return [row('b', 'Adatum Corporation'), row('e', null)];
      },
    );
    expect(asked).toEqual([['B', 'c', 'e']]);
    expect(out).toEqual([
      ok,
      {
        ok: false,
        code: 'conflict',
        error:
          'account "Adatum Corporation" was changed in Dataverse since it was read; nothing was overwritten. Try again.',
      },
      { ok: false, code: 'not_found', error: 'account c no longer exists in Dataverse.' },
      refused,
      stale('e'),
    ]);
  });

  it('keeps the answers as they were when the re-read fails', async () => {
    const results = [stale('a')];
    const out = await explainConflicts('account', ['a'], results, () => Promise.reject(new Error('down')));
    expect(out).toEqual(results);
  });
});

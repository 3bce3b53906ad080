import type { DvRow } from '../../core/model/record.js';
import { DV_NAME_FIELDS, type DvTable } from '../../core/model/tables.js';
import type { WriteResult } from '../../core/ports/business-central.js';
import { ConcurrencyError, ConnectorError } from '../../core/ports/errors.js';

const SYSTEM = 'Dataverse';

/**
 * A stale ETag as people should read it: the row by its name when it has one ("account "Adatum
 * Corporation" was changed…"), or the news that it was deleted meanwhile. `current` is the row re-read.
 */
export function conflictError(table: DvTable, id: string, current: DvRow | null): Error {
  if (!current) return new ConnectorError(SYSTEM, `${table} ${id} no longer exists in ${SYSTEM}.`, 404);
  const name = current.fields[DV_NAME_FIELDS[table]];
  return new ConcurrencyError(SYSTEM, `${table} ${typeof name === 'string' && name ? `"${name}"` : id}`);
}

/**
 * The 412s of a batch of updates, re-read in one go (never written again) to say them as update() does.
 * A re-read that fails leaves the answers as they were: naming is a courtesy, not worth a lost result.
 */
export async function explainConflicts(
  table: DvTable,
  ids: readonly string[],
  results: Array<WriteResult<DvRow>>,
  reread: (ids: readonly string[]) => Promise<DvRow[]>,
): Promise<Array<WriteResult<DvRow>>> {
  const stale = ids.filter((_, i) => {
    const r = results[i];
    return r !== undefined && !r.ok && r.code === 'conflict';
  });
  if (stale.length === 0) return results;
  let current: Map<string, DvRow>;
  try {
    current = new Map((await reread(stale)).map((row) => [row.id.toLowerCase(), row]));
  } catch {
    return results;
  }
  return results.map((r, i) => {
    if (r.ok || r.code !== 'conflict') return r;
    const id = ids[i] as string;
    const row = current.get(id.toLowerCase()) ?? null;
    return { ok: false, error: conflictError(table, id, row).message, code: row ? 'conflict' : 'not_found' };
  });
}

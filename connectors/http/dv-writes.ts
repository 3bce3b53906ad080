import type { Fields } from '../../core/model/record.js';
import type { DvTable } from '../../core/model/tables.js';
import type { DvBatchRequest } from './dv-batch.js';
import { toApi } from './dv-entities.js';
import type { DvWrite } from './dv-write-many.js';

/** Where a table's rows live, with the $select already applied (responses carry the mapped columns). */
export interface DvUrls {
  rowUrl(table: DvTable, id: string): string;
  collectionUrl(table: DvTable): string;
}

const REPRESENTATION = { Prefer: 'return=representation' };

/** PATCH per row, If-Match with its ETag (or * so a vanished row is not re-created: PATCH upserts). */
export function updateWrites(
  urls: DvUrls,
  table: DvTable,
  updates: ReadonlyArray<{ id: string; fields: Fields; etag?: string }>,
): DvWrite[] {
  return updates.map((update) =>
    build(`${table} ${update.id}`, () => ({
      method: 'PATCH',
      url: urls.rowUrl(table, update.id),
      headers: { 'If-Match': update.etag ?? '*', ...REPRESENTATION },
      body: JSON.stringify(toApi(table, update.fields)),
    })),
  );
}

export function createWrites(urls: DvUrls, table: DvTable, rows: readonly Fields[]): DvWrite[] {
  return rows.map((fields, i) =>
    build(`new ${table} #${i + 1}`, () => ({
      method: 'POST',
      url: urls.collectionUrl(table),
      headers: REPRESENTATION,
      body: JSON.stringify(toApi(table, fields)),
    })),
  );
}

/** A row that cannot be translated (say, a lookup that is not a GUID) fails alone, before anything is sent. */
function build(what: string, request: () => DvBatchRequest): DvWrite {
  try {
    return { what, request: request() };
  } catch (error) {
    return { what, invalid: (error as Error).message };
  }
}

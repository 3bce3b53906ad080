import type { Fields } from '../../core/model/record.js';
import type { DvTable } from '../../core/model/tables.js';
import type { DvBatchRequest } from './dv-batch.js';
import { dvEntity, toApi } from './dv-entities.js';
import { isGuid } from './odata.js';
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

/** POST per row; with `ids`, row i carries ids[i] as its primary key (the Web API accepts it in the body). */
export function createWrites(
  urls: DvUrls,
  table: DvTable,
  rows: readonly Fields[],
  ids?: readonly string[],
): DvWrite[] {
  return rows.map((fields, i) =>
    build(`new ${table} #${i + 1}`, () => ({
      method: 'POST',
      url: urls.collectionUrl(table),
      headers: REPRESENTATION,
      body: JSON.stringify(withPrimaryKey(table, toApi(table, fields), ids?.[i])),
    })),
  );
}

/** The body with the row's primary key set, refused unless it is a GUID (nothing can bend the request). */
export function withPrimaryKey<T extends Record<string, unknown>>(table: DvTable, body: T, id?: string): T {
  if (id === undefined) return body;
  if (!isGuid(id)) throw new Error(`"${id}" is not a row id (a GUID) for a new ${table}.`);
  return { ...body, [dvEntity(table).idColumn]: id.toLowerCase() };
}

/** A row that cannot be translated (say, a lookup that is not a GUID) fails alone, before anything is sent. */
function build(what: string, request: () => DvBatchRequest): DvWrite {
  try {
    return { what, request: request() };
  } catch (error) {
    return { what, invalid: (error as Error).message };
  }
}

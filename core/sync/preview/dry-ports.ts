import { bcName } from '../../coupling/labels.js';
import { DomainError, ErrorCode } from '../../errors.js';
import type { BcRecord, DvRow, Fields } from '../../model/record.js';
import type { WriteResult } from '../../ports/business-central.js';
import { bcKeys, Created, dvKeys } from './created.js';

/**
 * What Business Central and Dataverse look like to a preview: every read goes to the real system (and
 * notes the records changed lately, for the fingerprint); every write is answered as if it had
 * succeeded, with the record it would leave, and goes nowhere. Records a preview "creates" are found by
 * the run's later reads, as the real run would find its own, and tell the summary on which side a record
 * would be inserted. The two ports are in dry-bc.ts and dry-dv.ts.
 */
export interface DryWrites {
  createdBc: Created<BcRecord>;
  createdDv: Created<DvRow>;
}

export const dryWrites = (): DryWrites => ({
  createdBc: new Created(bcKeys(bcName)),
  createdDv: new Created(dvKeys),
});

export const ok = <T>(value: T): WriteResult<T> => ({ ok: true, value });

/** A listing passed through page by page, each page noted on its way. */
export async function* noting<R extends BcRecord | DvRow>(
  pages: AsyncIterable<R[]>,
  note: (records: readonly R[]) => void,
): AsyncIterable<R[]> {
  for await (const page of pages) {
    note(page);
    yield page;
  }
}

/** Reads by id: the real system's records, plus those the preview "created" (which it has not). */
export function overlaid<T extends string, R extends BcRecord | DvRow>(
  getMany: (table: T, ids: readonly string[]) => Promise<R[]>,
  created: Created<R>,
  note: (records: readonly R[]) => void,
): (table: T, ids: readonly string[]) => Promise<R[]> {
  return async (table, ids) => {
    const rs = await getMany(
      table,
      ids.filter((id) => !created.has(id)),
    );
    note(rs);
    return [...rs, ...ids.flatMap((id) => created.get(id) ?? [])];
  };
}

/** Updates answered from `read`: each record as it would be, what the system holds now patched. */
export function dryUpdates<T extends string, R extends BcRecord | DvRow>(
  read: (table: T, ids: readonly string[]) => Promise<R[]>,
  at: () => Date,
): (table: T, updates: ReadonlyArray<{ id: string; fields: Fields }>) => Promise<Array<WriteResult<R>>> {
  return async (table, updates) =>
    patched(
      await read(
        table,
        updates.map((u) => u.id),
      ),
      updates,
      at(),
    );
}

/** An update answers with the record as it would be: what the system holds now, patched. */
export function patched<R extends BcRecord | DvRow>(
  now: readonly R[],
  updates: ReadonlyArray<{ id: string; fields: Fields }>,
  at: Date,
): Array<WriteResult<R>> {
  const byId = new Map(now.map((r) => [r.id, r]));
  return updates.map((u): WriteResult<R> => {
    const r = byId.get(u.id);
    if (!r) return { ok: false, error: 'the record no longer exists', code: 'not_found' };
    return ok({ ...r, fields: { ...r.fields, ...u.fields }, modifiedOn: at });
  });
}

/** The one result of a single update, as the single-record methods return it. */
export function single<R>(results: Array<WriteResult<R>>, what: string): R {
  const [r] = results;
  if (!r?.ok) throw new DomainError(ErrorCode.NotFound, `There is no ${what}.`);
  return r.value;
}

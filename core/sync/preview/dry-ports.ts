import { randomUUID } from 'node:crypto';
import type { BcRecord, DvRow, Fields } from '../../model/record.js';
import { BC_KEY_FIELDS, type BcTable, type DvTable } from '../../model/tables.js';
import type { BusinessCentralPort, WriteResult } from '../../ports/business-central.js';
import type { Clock } from '../../ports/clock.js';
import type { DataversePort } from '../../ports/dataverse.js';
import { DomainError, ErrorCode } from '../../errors.js';
import { guarded } from './guard.js';
import type { RecentStamps } from './stamps.js';

/**
 * Business Central and Dataverse for a preview: every read goes to the real system (and notes the
 * records changed lately, for the fingerprint); every write is answered as if it had succeeded, with
 * the record it would leave, and goes nowhere. Ids of records a preview "creates" are remembered so its
 * summary can say on which side a record would be inserted.
 */
export interface DryWrites {
  createdBc: Set<string>;
  createdDv: Set<string>;
}

const ok = <T>(value: T): WriteResult<T> => ({ ok: true, value });

async function* noting<R extends BcRecord | DvRow>(
  pages: AsyncIterable<R[]>,
  note: (records: readonly R[]) => void,
): AsyncIterable<R[]> {
  for await (const page of pages) {
    note(page);
    yield page;
  }
}

export function dryBusinessCentral(
  real: BusinessCentralPort,
  clock: Clock,
  stamps: RecentStamps,
  writes: DryWrites,
): BusinessCentralPort {
  const note = (records: readonly BcRecord[]) => stamps.note('bc', records);
  const made = (table: BcTable, fields: Fields): BcRecord => {
    const id = randomUUID();
    writes.createdBc.add(id);
    const number = fields[BC_KEY_FIELDS[table].number];
    return { table, id, number: typeof number === 'string' ? number : '', fields, modifiedOn: clock.now() };
  };
  // An update answers with the record as it would be: what the system holds now, patched.
  const updated = async (table: BcTable, updates: ReadonlyArray<{ id: string; fields: Fields }>) => {
    const now = new Map((await real.getManyByIds(table, updates.map((u) => u.id))).map((r) => [r.id, r]));
    return updates.map((u): WriteResult<BcRecord> => {
      const r = now.get(u.id);
      if (!r) return { ok: false, error: 'the record no longer exists', code: 'not_found' };
      return ok({ ...r, fields: { ...r.fields, ...u.fields }, modifiedOn: clock.now() });
    });
  };
  return guarded<BusinessCentralPort>(
    'Business Central',
    real,
    ['kind', 'readCosts', 'supports', 'findByName', 'localCurrencyCode', 'businessRelationOf', 'companyContactOf'],
    {
      getById: async (table, id) => {
        const r = await real.getById(table, id);
        if (r) note([r]);
        return r;
      },
      getByNumber: async (table, number) => {
        const r = await real.getByNumber(table, number);
        if (r) note([r]);
        return r;
      },
      getManyByIds: async (table, ids) => {
        const rs = await real.getManyByIds(table, ids);
        note(rs);
        return rs;
      },
      list: (table, options) => noting(real.list(table, options), note),
      create: async (table, fields) => made(table, fields),
      createMany: async (table, rows) => rows.map((fields) => ok(made(table, fields))),
      update: async (table, id, fields) => {
        const [r] = await updated(table, [{ id, fields }]);
        if (!r?.ok) throw new DomainError(ErrorCode.NotFound, `There is no ${table} with id ${id}.`);
        return r.value;
      },
      updateMany: (table, updates) => updated(table, updates),
      delete: async () => undefined,
    },
  );
}

export function dryDataverse(
  real: DataversePort,
  clock: Clock,
  stamps: RecentStamps,
  writes: DryWrites,
): DataversePort {
  const note = (rows: readonly DvRow[]) => stamps.note('dv', rows);
  const made = (table: DvTable, fields: Fields, id: string = randomUUID()): DvRow => {
    writes.createdDv.add(id);
    return { table, id, fields, modifiedOn: clock.now() };
  };
  const updated = async (table: DvTable, updates: ReadonlyArray<{ id: string; fields: Fields }>) => {
    const now = new Map((await real.getMany(table, updates.map((u) => u.id))).map((r) => [r.id, r]));
    return updates.map((u): WriteResult<DvRow> => {
      const r = now.get(u.id);
      if (!r) return { ok: false, error: 'the row no longer exists', code: 'not_found' };
      return ok({ ...r, fields: { ...r.fields, ...u.fields }, modifiedOn: clock.now() });
    });
  };
  return guarded<DataversePort>(
    'Dataverse',
    real,
    ['kind', 'readCosts', 'supports', 'findByField', 'findCandidates', 'baseCurrencyId'],
    {
      get: async (table, id) => {
        const r = await real.get(table, id);
        if (r) note([r]);
        return r;
      },
      getMany: async (table, ids) => {
        const rs = await real.getMany(table, ids);
        note(rs);
        return rs;
      },
      list: (table, filter, options) => noting(real.list(table, filter, options), note),
      create: async (table, fields, options) => made(table, fields, options?.id),
      createMany: async (table, rows, ids) => rows.map((fields, i) => ok(made(table, fields, ids?.[i]))),
      update: async (table, id, fields) => {
        const [r] = await updated(table, [{ id, fields }]);
        if (!r?.ok) throw new DomainError(ErrorCode.NotFound, `There is no ${table} row with id ${id}.`);
        return r.value;
      },
      updateMany: (table, updates) => updated(table, updates),
      delete: async () => undefined,
    },
  );
}

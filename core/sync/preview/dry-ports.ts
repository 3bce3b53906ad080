import { randomUUID } from 'node:crypto';
import { bcName } from '../../coupling/labels.js';
import { DomainError, ErrorCode } from '../../errors.js';
import { normaliseName } from '../../model/normalise.js';
import type { BcRecord, DvRow, Fields } from '../../model/record.js';
import { BC_KEY_FIELDS, type BcTable, type DvTable } from '../../model/tables.js';
import type { BusinessCentralPort, WriteResult } from '../../ports/business-central.js';
import type { Clock } from '../../ports/clock.js';
import type { DataversePort } from '../../ports/dataverse.js';
import { bcKeys, Created, dvKeys } from './created.js';
import { guarded } from './guard.js';
import type { RecentStamps } from './stamps.js';

/**
 * Business Central and Dataverse for a preview: every read goes to the real system (and notes the
 * records changed lately, for the fingerprint); every write is answered as if it had succeeded, with
 * the record it would leave, and goes nowhere. Records a preview "creates" are found by the run's later
 * reads, as the real run would find its own, and tell the summary on which side a record is inserted.
 */
export interface DryWrites {
  createdBc: Created<BcRecord>;
  createdDv: Created<DvRow>;
}

export const dryWrites = (): DryWrites => ({
  createdBc: new Created(bcKeys(bcName)),
  createdDv: new Created(dvKeys),
});

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

/** An update answers with the record as it would be: what the system holds now, patched. */
function patched<R extends BcRecord | DvRow>(
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

function single<R>(results: Array<WriteResult<R>>, what: string): R {
  const [r] = results;
  if (!r?.ok) throw new DomainError(ErrorCode.NotFound, `There is no ${what}.`);
  return r.value;
}

export function dryBusinessCentral(
  real: BusinessCentralPort,
  clock: Clock,
  stamps: RecentStamps,
  writes: DryWrites,
): BusinessCentralPort {
  const created = writes.createdBc;
  const note = (records: readonly BcRecord[]) => stamps.note('bc', records);
  const read = async (table: BcTable, ids: readonly string[]) => {
    const rs = await real.getManyByIds(
      table,
      ids.filter((id) => !created.has(id)),
    );
    note(rs);
    return [...rs, ...ids.flatMap((id) => created.get(id) ?? [])];
  };
  const make = (table: BcTable, fields: Fields): BcRecord => {
    const number = fields[BC_KEY_FIELDS[table].number];
    const r = {
      table,
      id: randomUUID(),
      number: typeof number === 'string' ? number : '',
      fields,
      modifiedOn: clock.now(),
    };
    created.add(r);
    return r;
  };
  const update = async (table: BcTable, updates: ReadonlyArray<{ id: string; fields: Fields }>) =>
    patched(
      await read(
        table,
        updates.map((u) => u.id),
      ),
      updates,
      clock.now(),
    );
  return guarded<BusinessCentralPort>(
    'Business Central',
    real,
    ['kind', 'readCosts', 'supports', 'localCurrencyCode', 'businessRelationOf', 'companyContactOf'],
    {
      getById: async (table, id) => (await read(table, [id]))[0] ?? null,
      getByNumber: async (table, number) => {
        const r = await real.getByNumber(table, number);
        if (r) note([r]);
        return r ?? created.find(`no:${number}`)[0] ?? null;
      },
      getManyByIds: read,
      ...(real.findByName
        ? {
            findByName: async (table: BcTable, name: string, top: number) =>
              created.withMatching(
                await real.findByName!(table, name, top),
                `name:${normaliseName(name)}`,
                top,
              ),
          }
        : {}),
      list: (table, options) => noting(real.list(table, options), note),
      create: async (table, fields) => make(table, fields),
      createMany: async (table, rows) => rows.map((fields) => ok(make(table, fields))),
      update: async (table, id, fields) => single(await update(table, [{ id, fields }]), `${table} ${id}`),
      updateMany: (table, updates) => update(table, updates),
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
  const created = writes.createdDv;
  const note = (rows: readonly DvRow[]) => stamps.note('dv', rows);
  const read = async (table: DvTable, ids: readonly string[]) => {
    const rs = await real.getMany(
      table,
      ids.filter((id) => !created.has(id)),
    );
    note(rs);
    return [...rs, ...ids.flatMap((id) => created.get(id) ?? [])];
  };
  const make = (table: DvTable, fields: Fields, id: string = randomUUID()): DvRow => {
    const r = { table, id, fields, modifiedOn: clock.now() };
    created.add(r);
    return r;
  };
  const update = async (table: DvTable, updates: ReadonlyArray<{ id: string; fields: Fields }>) =>
    patched(
      await read(
        table,
        updates.map((u) => u.id),
      ),
      updates,
      clock.now(),
    );
  return guarded<DataversePort>(
    'Dataverse',
    real,
    ['kind', 'readCosts', 'supports', 'findCandidates', 'baseCurrencyId'],
    {
      get: async (table, id) => (await read(table, [id]))[0] ?? null,
      getMany: read,
      findByField: async (table, field, value, top) =>
        created.withMatching(await real.findByField(table, field, value, top), `${field}=${value}`, top),
      list: (table, filter, options) => noting(real.list(table, filter, options), note),
      create: async (table, fields, options) => make(table, fields, options?.id),
      createMany: async (table, rows, ids) => rows.map((fields, i) => ok(make(table, fields, ids?.[i]))),
      update: async (table, id, fields) =>
        single(await update(table, [{ id, fields }]), `${table} row ${id}`),
      updateMany: (table, updates) => update(table, updates),
      delete: async () => undefined,
    },
  );
}

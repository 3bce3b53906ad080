import { randomUUID } from 'node:crypto';
import type { DvRow, Fields } from '../../model/record.js';
import type { DvTable } from '../../model/tables.js';
import type { Clock } from '../../ports/clock.js';
import type { DataversePort } from '../../ports/dataverse.js';
import { dryUpdates, noting, ok, overlaid, single, type DryWrites } from './dry-ports.js';
import { guarded } from './guard.js';
import type { RecentStamps } from './stamps.js';

type Read = (table: DvTable, ids: readonly string[]) => Promise<DvRow[]>;

/** Reads: the real system's rows, plus those the preview "created". */
function reads(real: DataversePort, w: DryWrites, note: (rs: readonly DvRow[]) => void) {
  const created = w.createdDv;
  const read: Read = overlaid(real.getMany.bind(real), created, note);
  const port: Partial<DataversePort> = {
    get: async (table, id) => (await read(table, [id]))[0] ?? null,
    getMany: read,
    findByField: async (table, field, value, top) =>
      created.withMatching(await real.findByField(table, field, value, top), `${field}=${value}`, top),
    list: (table, filter, options) => noting(real.list(table, filter, options), note),
  };
  return { read, port };
}

/** Writes: answered as done, nowhere written. */
function writes(read: Read, w: DryWrites, clock: Clock): Partial<DataversePort> {
  const make = (table: DvTable, fields: Fields, id: string = randomUUID()): DvRow => {
    const r = { table, id, fields, modifiedOn: clock.now() };
    w.createdDv.add(r);
    return r;
  };
  const update = dryUpdates(read, () => clock.now());
  return {
    create: async (table, fields, options) => make(table, fields, options?.id),
    createMany: async (table, rows, ids) => rows.map((fields, i) => ok(make(table, fields, ids?.[i]))),
    update: async (table, id, fields) => single(await update(table, [{ id, fields }]), `${table} row ${id}`),
    updateMany: (table, updates) => update(table, updates),
    delete: async () => undefined,
  };
}

/** Dataverse for a preview (dry-ports.ts says how). */
export function dryDataverse(
  real: DataversePort,
  clock: Clock,
  stamps: RecentStamps,
  w: DryWrites,
): DataversePort {
  const { read, port } = reads(real, w, (rs) => stamps.note('dv', rs));
  return guarded<DataversePort>(
    'Dataverse',
    real,
    ['kind', 'readCosts', 'supports', 'findCandidates', 'baseCurrencyId'],
    { ...port, ...writes(read, w, clock) },
  );
}

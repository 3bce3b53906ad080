import { randomUUID } from 'node:crypto';
import { normaliseName } from '../../model/normalise.js';
import type { BcRecord, Fields } from '../../model/record.js';
import { BC_KEY_FIELDS, type BcTable } from '../../model/tables.js';
import type { BusinessCentralPort } from '../../ports/business-central.js';
import type { Clock } from '../../ports/clock.js';
import { dryUpdates, noting, ok, overlaid, single, type DryWrites } from './dry-ports.js';
import { guarded } from './guard.js';
import type { RecentStamps } from './stamps.js';

type Read = (table: BcTable, ids: readonly string[]) => Promise<BcRecord[]>;

/** Reads: the real system's records, plus those the preview "created". */
function reads(real: BusinessCentralPort, w: DryWrites, note: (rs: readonly BcRecord[]) => void) {
  const created = w.createdBc;
  const read: Read = overlaid(real.getManyByIds.bind(real), created, note);
  const findByName = real.findByName?.bind(real);
  const port: Partial<BusinessCentralPort> = {
    getById: async (table, id) => (await read(table, [id]))[0] ?? null,
    getByNumber: async (table, number) => {
      const r = await real.getByNumber(table, number);
      if (r) note([r]);
      return r ?? created.find(`no:${number}`)[0] ?? null;
    },
    getManyByIds: read,
    // Only where the real connector has it: without it, core looks records up by number alone.
    ...(findByName
      ? {
          findByName: async (table: BcTable, name: string, top: number) =>
            created.withMatching(await findByName(table, name, top), `name:${normaliseName(name)}`, top),
        }
      : {}),
    list: (table, options) => noting(real.list(table, options), note),
  };
  return { read, port };
}

/** Writes: answered as done, nowhere written. */
function writes(read: Read, w: DryWrites, clock: Clock): Partial<BusinessCentralPort> {
  const make = (table: BcTable, fields: Fields): BcRecord => {
    const number = fields[BC_KEY_FIELDS[table].number];
    const id = randomUUID();
    const r = {
      table,
      id,
      number: typeof number === 'string' ? number : '',
      fields,
      modifiedOn: clock.now(),
    };
    w.createdBc.add(r);
    return r;
  };
  const update = dryUpdates(read, () => clock.now());
  return {
    create: async (table, fields) => make(table, fields),
    createMany: async (table, rows) => rows.map((fields) => ok(make(table, fields))),
    update: async (table, id, fields) => single(await update(table, [{ id, fields }]), `${table} ${id}`),
    updateMany: (table, updates) => update(table, updates),
    delete: async () => undefined,
  };
}

/** Business Central for a preview (dry-ports.ts says how). */
export function dryBusinessCentral(
  real: BusinessCentralPort,
  clock: Clock,
  stamps: RecentStamps,
  w: DryWrites,
): BusinessCentralPort {
  const { read, port } = reads(real, w, (rs) => stamps.note('bc', rs));
  return guarded<BusinessCentralPort>(
    'Business Central',
    real,
    ['kind', 'readCosts', 'supports', 'localCurrencyCode', 'businessRelationOf', 'companyContactOf'],
    { ...port, ...writes(read, w, clock) },
  );
}

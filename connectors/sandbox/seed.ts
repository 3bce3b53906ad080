import type { Db } from '../../core/ports/store.js';
import type { BcTable, DvTable } from '../../core/model/tables.js';
import { systemClock, type Clock } from '../../core/ports/clock.js';
import { ensureCollection } from '../../core/ports/store.js';
import { isDuplicateKeyError } from '../../core/ports/store.js';
import { bcDoc, dvDoc, withComputedColumns, type SandboxDoc } from './documents.js';
import { BC_SEED } from './seed-data-bc.js';
import { DV_SEED } from './seed-data-dv.js';
import { clearReferenceData, seedReferenceData } from './reference-data.js';
import { seedId } from './seed-ids.js';
import { ALL_BC_TABLES, ALL_DV_TABLES, BC_COLLECTIONS, DV_COLLECTIONS, DV_KEY_COLUMNS } from './tables.js';

export { OTHER_COMPANY_ID, SANDBOX_COMPANY_ID, seedId } from './seed-ids.js';

/** Remembers that the demo data was written, so a restart does not bring back what users deleted. */
export const SANDBOX_META = 'sandbox.meta';
const SEED_MARK = 'seed';
const SEED_VERSION = 1;

export const bcSeedId = (table: BcTable, number: string): string => seedId(`bc:${table}:${number}`);
export const dvSeedId = (table: DvTable, key: string): string => seedId(`dv:${table}:${key}`);

/** Indexes of every sandbox table; idempotent. */
export async function ensureSandboxIndexes(db: Db): Promise<void> {
  for (const table of ALL_BC_TABLES) {
    const name = BC_COLLECTIONS[table];
    await ensureCollection(db, name);
    await db.collection(name).createIndexes([
      { key: { number: 1 }, name: 'number_unique', unique: true },
      { key: { _name: 1 }, name: 'name_key' },
      { key: { modifiedOn: 1 }, name: 'modifiedOn' },
    ]);
  }
  for (const table of ALL_DV_TABLES) {
    const name = DV_COLLECTIONS[table];
    await ensureCollection(db, name);
    await db.collection(name).createIndexes([
      { key: { _search: 1 }, name: 'search_tokens' },
      { key: { _name: 1 }, name: 'name_key' },
      { key: { _number: 1 }, name: 'number_key' },
      { key: { _email: 1 }, name: 'email_key' },
      { key: { _phone: 1 }, name: 'phone_key' },
      { key: { [`fields.${DV_KEY_COLUMNS[table].name}`]: 1 }, name: 'name_exact' },
      { key: { modifiedOn: 1 }, name: 'modifiedOn' },
    ]);
  }
}

/** Inserts documents, leaving alone those already there (a second instance seeding at the same time). */
async function insertMissing(db: Db, collection: string, docs: SandboxDoc[]): Promise<void> {
  if (docs.length === 0) return;
  try {
    await db.collection<SandboxDoc>(collection).insertMany(docs, { ordered: false });
  } catch (e) {
    if (!isDuplicateKeyError(e)) throw e;
  }
}

/**
 * Seeds the CRONUS demo data on first start only (domain.md §8); later calls do nothing. Safe when
 * interrupted or run by two instances at once: rows have fixed ids and the mark is written last.
 * Nothing is coupled at start.
 */
export async function seedSandbox(db: Db, options: { clock?: Clock } = {}): Promise<{ seeded: boolean }> {
  await ensureSandboxIndexes(db);
  // Idempotent, and outside the mark: sandboxes seeded before these existed get them too.
  await seedReferenceData(db);
  const meta = db.collection<{ _id: string; version: number; at: Date }>(SANDBOX_META);
  if (await meta.findOne({ _id: SEED_MARK })) return { seeded: false };
  // One time for every seeded row: never ahead of the clock, so the first real edit is always later.
  const at = (options.clock ?? systemClock).now();
  for (const table of ALL_BC_TABLES) {
    const docs = BC_SEED[table].map((fields) => {
      const doc = bcDoc(table, 'pending', fields, at, '1');
      return { ...doc, _id: bcSeedId(table, doc.number ?? '') };
    });
    await insertMissing(db, BC_COLLECTIONS[table], docs);
  }
  for (const table of ALL_DV_TABLES) {
    const docs = DV_SEED[table].map(([key, fields]) =>
      dvDoc(table, dvSeedId(table, key), withComputedColumns(table, fields), at, '1'),
    );
    await insertMissing(db, DV_COLLECTIONS[table], docs);
  }
  try {
    await meta.insertOne({ _id: SEED_MARK, version: SEED_VERSION, at });
  } catch (e) {
    if (!isDuplicateKeyError(e)) throw e; // another instance finished seeding first
  }
  return { seeded: true };
}

/** Empties every sandbox table and seeds the demo data again (`sandbox reset`). */
export async function resetSandbox(db: Db, options: { clock?: Clock } = {}): Promise<void> {
  const names = [
    ...ALL_BC_TABLES.map((t) => BC_COLLECTIONS[t]),
    ...ALL_DV_TABLES.map((t) => DV_COLLECTIONS[t]),
  ];
  await db.collection<{ _id: string }>(SANDBOX_META).deleteOne({ _id: SEED_MARK });
  for (const name of names) await db.collection(name).deleteMany({});
  await clearReferenceData(db);
  await seedSandbox(db, options);
}

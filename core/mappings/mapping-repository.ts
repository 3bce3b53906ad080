import type { Db } from 'mongodb';
import { IntegrationTableMapping } from '../model/mapping.js';
import { BcTable } from '../model/tables.js';
import { COLLECTIONS, ensureCollection } from '../store/collections.js';
import { isDuplicateKeyError, parseDoc, parseDocs } from '../store/documents.js';
import { DEFAULT_MAPPING_NAMES } from './defaults.js';

/** What a change may set; name and version are the repository's business. */
export type MappingChanges = Partial<
  Omit<IntegrationTableMapping, 'name' | 'version' | 'updatedAt' | 'updatedBy'>
>;

export interface HighWaterMarks {
  bc?: Date;
  dv?: Date;
}

/**
 * Storage of Integration Table Mappings. Names reaching this layer are already normalized
 * (upper case, validated) by the service. Every change is compare-and-set on `version`.
 */
export interface MappingRepository {
  /** Inserts the mapping unless one with its name exists; true when this call inserted it. */
  insertIfMissing(mapping: IntegrationTableMapping): Promise<boolean>;
  findAll(): Promise<IntegrationTableMapping[]>;
  /** The mappings of one BC table (usually one), in the same order as findAll. */
  findByBcTable(table: BcTable): Promise<IntegrationTableMapping[]>;
  findByName(name: string): Promise<IntegrationTableMapping | null>;
  /** Applies `changes` only if the stored version is still `expectedVersion`; null when it is not. */
  compareAndSet(
    name: string,
    expectedVersion: number,
    changes: MappingChanges,
    by: string,
    at: Date,
  ): Promise<IntegrationTableMapping | null>;
  /** Moves the high-water marks forward only ($max), so a slow job can never move them back. */
  advanceHighWaterMarks(name: string, marks: HighWaterMarks): Promise<boolean>;
}

export async function ensureMappingIndexes(db: Db): Promise<void> {
  await ensureCollection(db, COLLECTIONS.mappings);
  await db.collection(COLLECTIONS.mappings).createIndexes([
    { key: { name: 1 }, name: 'name_unique', unique: true },
    // `show customer 10000` and every record card look their mapping up by BC table.
    { key: { bcTable: 1 }, name: 'bcTable' },
  ]);
}

const byOrder = (a: IntegrationTableMapping, b: IntegrationTableMapping): number =>
  order(a.name) - order(b.name) || a.name.localeCompare(b.name);

const order = (name: string): number => {
  const i = (DEFAULT_MAPPING_NAMES as readonly string[]).indexOf(name);
  return i === -1 ? DEFAULT_MAPPING_NAMES.length : i;
};

export function createMappingRepository(db: Db): MappingRepository {
  const col = db.collection(COLLECTIONS.mappings);

  return {
    async insertIfMissing(mapping) {
      const { name, ...rest } = IntegrationTableMapping.parse(mapping);
      try {
        const res = await col.updateOne({ name }, { $setOnInsert: rest }, { upsert: true });
        return res.upsertedCount === 1;
      } catch (e) {
        // Another instance seeding at the same moment won the unique index: the mapping exists.
        if (isDuplicateKeyError(e)) return false;
        throw e;
      }
    },

    async findAll() {
      const all = parseDocs(IntegrationTableMapping, await col.find({}).toArray(), 'mappings');
      return all.sort(byOrder);
    },

    async findByBcTable(table) {
      // Only a known table name reaches the filter (it may come from a card).
      if (!BcTable.safeParse(table).success) return [];
      const docs = await col.find({ bcTable: table }).toArray();
      return parseDocs(IntegrationTableMapping, docs, 'mappings').sort(byOrder);
    },

    async findByName(name) {
      return parseDoc(IntegrationTableMapping, await col.findOne({ name }), 'mappings');
    },

    async compareAndSet(name, expectedVersion, changes, by, at) {
      const doc = await col.findOneAndUpdate(
        { name, version: expectedVersion },
        { $set: { ...changes, updatedAt: at, updatedBy: by }, $inc: { version: 1 } },
        { returnDocument: 'after' },
      );
      return parseDoc(IntegrationTableMapping, doc, 'mappings');
    },

    async advanceHighWaterMarks(name, marks) {
      const max: Record<string, Date> = {};
      if (marks.bc) max['lastSyncedBcModifiedOn'] = marks.bc;
      if (marks.dv) max['lastSyncedDvModifiedOn'] = marks.dv;
      if (Object.keys(max).length === 0) return false;
      const res = await col.updateOne({ name }, { $max: max });
      return res.matchedCount === 1;
    },
  };
}

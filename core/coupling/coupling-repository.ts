import type { AnyBulkWriteOperation, Db, Filter } from 'mongodb';
import { newId } from '../ids.js';
import { Coupling, type SyncResult, type SyncedFieldValue } from '../model/coupling.js';
import { COLLECTIONS, ensureCollection } from '../store/collections.js';
import {
  clampLimit,
  cursorPages,
  filterString,
  isDuplicateKeyError,
  parseDoc,
  parseDocs,
} from '../store/documents.js';
import { writeErrorIndexes } from '../store/write-errors.js';

type CouplingDoc = Coupling & { _id: string };

/** What the synchronization writes back on a coupling after a run (domain.md §2). */
export interface SyncStatePatch {
  lastSyncedBcModifiedOn?: Date | null;
  lastSyncedDvModifiedOn?: Date | null;
  lastSyncResultBc?: SyncResult | null;
  lastSyncResultDv?: SyncResult | null;
  lastJobId?: string | null;
  skipped?: boolean;
  lastSyncedValues?: SyncedFieldValue[];
  bothSidesRuns?: number;
}

export type BulkInsertResult = { ok: true } | { ok: false; reason: 'duplicate' };

const WHERE = 'couplings';
const CHUNK = 500;
const id = (v: unknown, what: string) => filterString(v, what, 100);

/** One coupling per BC record and per Dataverse row within a mapping: the unique indexes say so. */
export async function ensureCouplingIndexes(db: Db): Promise<void> {
  await ensureCollection(db, COLLECTIONS.couplings);
  await db.collection(COLLECTIONS.couplings).createIndexes([
    { key: { mapping: 1, bcId: 1 }, name: 'mapping_bcId_unique', unique: true },
    { key: { mapping: 1, dvId: 1 }, name: 'mapping_dvId_unique', unique: true },
    { key: { mapping: 1, bcNumber: 1 }, name: 'mapping_bcNumber' },
  ]);
  await ensureCollection(db, COLLECTIONS.pendingCreates);
}

/** A Dataverse row about to be created for a BC record: the id it will carry (`_id`: mapping + bcId). */
interface PendingCreateDoc {
  _id: string;
  mapping: string;
  bcId: string;
  dvId: string;
  at: Date;
}

/** The `couplings` collection. Correct without transactions: the unique indexes are the arbiters. */
export class CouplingRepository {
  private readonly col;

  private readonly pending;

  constructor(db: Db) {
    this.col = db.collection<CouplingDoc>(COLLECTIONS.couplings);
    this.pending = db.collection<PendingCreateDoc>(COLLECTIONS.pendingCreates);
  }

  /**
   * Records, before a Dataverse row is created for a BC record, the id that row will carry, and returns
   * the id in effect: `dvId`, or the one an earlier attempt reserved (a retry, a double click, a restart
   * after a crash). Creating with that id is idempotent, so the row exists at most once.
   */
  async reserveCreate(mapping: string, bcId: string, dvId: string, at: Date): Promise<string> {
    const key = `${id(mapping, 'Mapping')}\n${id(bcId, 'Business Central id')}`;
    try {
      await this.pending.insertOne({ _id: key, mapping, bcId, dvId, at });
      return dvId;
    } catch (e) {
      if (!isDuplicateKeyError(e)) throw e;
    }
    const earlier = await this.pending.findOne({ _id: key });
    if (!earlier) throw new Error(`The reservation for ${mapping} ${bcId} vanished while it was read.`);
    return earlier.dvId;
  }

  /** The row is coupled (or was taken back): its reservation is done. */
  async releaseCreate(mapping: string, bcId: string): Promise<void> {
    await this.pending.deleteOne({ _id: `${id(mapping, 'Mapping')}\n${id(bcId, 'Business Central id')}` });
  }

  /** False when the BC record or the Dataverse row is already coupled in this mapping. */
  async insert(coupling: Coupling): Promise<boolean> {
    try {
      await this.col.insertOne({ _id: newId(), ...Coupling.parse(coupling) });
      return true;
    } catch (e) {
      if (isDuplicateKeyError(e)) return false;
      throw e;
    }
  }

  /** Many at once (match-based coupling): unordered, one result per input, in order. */
  async bulkInsert(couplings: readonly Coupling[]): Promise<BulkInsertResult[]> {
    const docs = couplings.map((c) => ({ _id: newId(), ...Coupling.parse(c) }));
    const failed = new Set<number>();
    for (let i = 0; i < docs.length; i += CHUNK) {
      try {
        await this.col.insertMany(docs.slice(i, i + CHUNK), { ordered: false });
      } catch (e) {
        if (!isDuplicateKeyError(e)) throw e;
        writeErrorIndexes(e).forEach((n) => failed.add(i + n));
      }
    }
    return docs.map((_, i) => (failed.has(i) ? { ok: false, reason: 'duplicate' } : { ok: true }));
  }

  async getByBcId(mapping: string, bcId: string): Promise<Coupling | null> {
    return this.one({ mapping: id(mapping, 'Mapping'), bcId: id(bcId, 'Business Central id') });
  }

  async getByDvId(mapping: string, dvId: string): Promise<Coupling | null> {
    return this.one({ mapping: id(mapping, 'Mapping'), dvId: id(dvId, 'Dataverse id') });
  }

  /** By number: finds the coupling even when the BC record itself was deleted meanwhile. */
  async getByBcNumber(mapping: string, bcNumber: string): Promise<Coupling | null> {
    return this.one({ mapping: id(mapping, 'Mapping'), bcNumber: id(bcNumber, 'Number') });
  }

  async getManyByBcIds(mapping: string, bcIds: readonly string[]): Promise<Coupling[]> {
    return this.many(mapping, 'bcId', bcIds);
  }

  async getManyByDvIds(mapping: string, dvIds: readonly string[]): Promise<Coupling[]> {
    return this.many(mapping, 'dvId', dvIds);
  }

  /** Deletes the coupling of one BC record; the deleted coupling, or null when there was none. */
  async deleteByBcId(mapping: string, bcId: string): Promise<Coupling | null> {
    const doc = await this.col.findOneAndDelete({
      mapping: id(mapping, 'Mapping'),
      bcId: id(bcId, 'Business Central id'),
    });
    return parseDoc(Coupling, doc, WHERE);
  }

  /** Deletes the coupling only while it still pairs exactly these two (undo); the deleted one or null. */
  async deleteIfPair(mapping: string, bcId: string, dvId: string): Promise<Coupling | null> {
    const doc = await this.col.findOneAndDelete({
      mapping: id(mapping, 'Mapping'),
      bcId: id(bcId, 'Business Central id'),
      dvId: id(dvId, 'Dataverse id'),
    });
    return parseDoc(Coupling, doc, WHERE);
  }

  async deleteManyByBcIds(mapping: string, bcIds: readonly string[]): Promise<number> {
    let deleted = 0;
    for (let i = 0; i < bcIds.length; i += CHUNK) {
      const ids = bcIds.slice(i, i + CHUNK).map((b) => id(b, 'Business Central id'));
      deleted += (await this.col.deleteMany({ mapping: id(mapping, 'Mapping'), bcId: { $in: ids } }))
        .deletedCount;
    }
    return deleted;
  }

  /**
   * Delete Couplings for a whole mapping, chunk by chunk so a huge mapping never needs one giant
   * write; `onChunk` hears each chunk's count (the job's Uncoupled counter). Returns the total.
   */
  async deleteAllForMapping(
    mapping: string,
    options: {
      chunkSize?: number;
      onChunk?: (deleted: number) => Promise<void>;
      /** Hears each chunk's couplings, whole, before they are deleted (the undo journal). */
      beforeDelete?: (couplings: Coupling[]) => Promise<unknown>;
    } = {},
  ): Promise<number> {
    const size = clampLimit(options.chunkSize, CHUNK, 10_000);
    const name = id(mapping, 'Mapping');
    let total = 0;
    for (;;) {
      const docs = await this.col
        .find({ mapping: name }, options.beforeDelete ? {} : { projection: { _id: 1 } })
        .limit(size)
        .toArray();
      if (docs.length === 0) return total;
      if (options.beforeDelete) await options.beforeDelete(parseDocs(Coupling, docs, WHERE));
      const ids = docs.map((d) => d._id);
      const n = (await this.col.deleteMany({ mapping: name, _id: { $in: ids } })).deletedCount;
      total += n;
      if (options.onChunk && n > 0) await options.onChunk(n);
    }
  }

  /** Every coupling of every mapping (sandbox reset). */
  async deleteEverything(): Promise<number> {
    return (await this.col.deleteMany({})).deletedCount;
  }

  async count(mapping: string): Promise<number> {
    return this.col.countDocuments({ mapping: id(mapping, 'Mapping') });
  }

  /**
   * The couplings of a mapping, page by page: one cursor sorted on _id, read `pageSize` documents per
   * round trip (re-querying per page made the store filter and sort the whole mapping again each time).
   */
  async *list(mapping: string, options: { pageSize?: number } = {}): AsyncIterable<Coupling[]> {
    const size = clampLimit(options.pageSize, CHUNK, 5000);
    const cursor = this.col
      .find({ mapping: id(mapping, 'Mapping') })
      .sort({ _id: 1 })
      .batchSize(size);
    for await (const page of cursorPages(cursor, size, (doc: CouplingDoc) => doc))
      yield parseDocs(Coupling, page, WHERE);
  }

  /**
   * The BC ids of a mapping's couplings, page by page, and nothing else of them: what a full
   * synchronization needs to find the couplings its whole-table read did not meet.
   */
  async *bcIds(mapping: string, options: { pageSize?: number } = {}): AsyncIterable<string[]> {
    const size = clampLimit(options.pageSize, CHUNK, 5000);
    const cursor = this.col
      .find({ mapping: id(mapping, 'Mapping') }, { projection: { _id: 0, bcId: 1 } })
      .sort({ _id: 1 })
      .batchSize(size);
    yield* cursorPages(cursor, size, (doc) => (typeof doc.bcId === 'string' ? doc.bcId : undefined));
  }

  /** Records a synchronization's outcome on one coupling; false when the coupling is gone. */
  async setSyncState(mapping: string, bcId: string, patch: SyncStatePatch): Promise<boolean> {
    const res = await this.col.updateOne(
      { mapping: id(mapping, 'Mapping'), bcId: id(bcId, 'Business Central id') },
      { $set: syncStateSet(patch) },
    );
    return res.matchedCount === 1;
  }

  /** Many outcomes in one round trip (a synchronization batch); returns how many couplings matched. */
  async setSyncStates(
    updates: ReadonlyArray<{ mapping: string; bcId: string; patch: SyncStatePatch }>,
  ): Promise<number> {
    if (updates.length === 0) return 0;
    const ops: Array<AnyBulkWriteOperation<CouplingDoc>> = updates.map((u) => ({
      updateOne: {
        filter: { mapping: id(u.mapping, 'Mapping'), bcId: id(u.bcId, 'Business Central id') },
        update: { $set: syncStateSet(u.patch) },
      },
    }));
    return (await this.col.bulkWrite(ops, { ordered: false })).matchedCount;
  }

  private async one(query: Filter<CouplingDoc>): Promise<Coupling | null> {
    return parseDoc(Coupling, await this.col.findOne(query), WHERE);
  }

  private async many(mapping: string, key: 'bcId' | 'dvId', ids: readonly string[]): Promise<Coupling[]> {
    const out: Coupling[] = [];
    const safe = [...new Set(ids.filter((v) => typeof v === 'string' && v.length > 0 && v.length <= 100))];
    for (let i = 0; i < safe.length; i += 1000) {
      const query = {
        mapping: id(mapping, 'Mapping'),
        [key]: { $in: safe.slice(i, i + 1000) },
      } as Filter<CouplingDoc>;
      out.push(...parseDocs(Coupling, await this.col.find(query).toArray(), WHERE));
    }
    return out;
  }
}

const SYNC_STATE_KEYS = [
  'lastSyncedBcModifiedOn',
  'lastSyncedDvModifiedOn',
  'lastSyncResultBc',
  'lastSyncResultDv',
  'lastJobId',
  'skipped',
  'lastSyncedValues',
  'bothSidesRuns',
] as const;

/** Built once: zod compiles a schema on first use, and a full run writes thousands of states. */
const SyncStateSet = Coupling.pick(
  Object.fromEntries(SYNC_STATE_KEYS.map((k) => [k, true])) as Record<(typeof SYNC_STATE_KEYS)[number], true>,
).partial();

/** Only the known sync-state keys are ever written, whatever object the caller passes. */
function syncStateSet(patch: SyncStatePatch): Record<string, unknown> {
  const set: Record<string, unknown> = {};
  for (const k of SYNC_STATE_KEYS) if (patch[k] !== undefined) set[k] = patch[k];
  return SyncStateSet.parse(set);
}

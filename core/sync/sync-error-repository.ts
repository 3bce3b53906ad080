import type { AnyBulkWriteOperation, Db } from 'mongodb';
import { z } from 'zod';
import { DomainError, ErrorCode } from '../errors.js';
import { COLLECTIONS, ensureCollection } from '../store/collections.js';
import { clampLimit, filterString, isDuplicateKeyError, parseDoc, parseDocs } from '../store/documents.js';
import {
  openQuery,
  streaksBefore,
  SyncErrorKind,
  upsertOpen,
  type ErrorFilter,
  type SyncErrorInput,
} from './open-errors.js';
import { nextStreak } from './recurring.js';

export { SyncErrorKind, type ErrorFilter, type SyncErrorInput } from './open-errors.js';

/** A Coupled Data Synchronization Error (domain.md §5): one open error per coupled record at most. */
export const SyncError = z.object({
  id: z.string(),
  mapping: z.string(),
  bcId: z.string(),
  bcNumber: z.string(),
  dvId: z.string().nullable(),
  kind: SyncErrorKind,
  /** For deletion errors: the side whose record is gone. */
  missingSide: z.enum(['bc', 'dv']).nullable(),
  message: z.string(),
  /** First seen; `lastSeenAt` and `occurrences` show an error that comes back run after run. */
  at: z.date(),
  lastSeenAt: z.date(),
  occurrences: z.number().int().min(1),
  jobId: z.string().nullable(),
  status: z.enum(['open', 'resolved']),
  resolvedAt: z.date().nullable(),
  resolvedBy: z.string().nullable(),
  resolution: z.string().nullable(),
  /** Someone acting on the error right now (a short claim, so two clicks do not both act). */
  claimedBy: z.string().nullable().default(null),
  claimedAt: z.date().nullable().default(null),
  /**
   * The mappings whose coupling this record waits for (its parent customer not coupled yet): not a
   * data problem, retried by every run of the mapping until it goes through.
   */
  waitingFor: z.string().nullable().default(null),
  /** Runs in a row that saw this record fail the same way (core/sync/recurring.ts); 1 for older rows. */
  streak: z.number().int().min(1).default(1),
  /** The failure the streak counts (kind + message without ids and numbers). */
  signature: z.string().default(''),
  /** Set while the streak is RECURRING_RUNS or more: since when the record loops. */
  recurringSince: z.date().nullable().default(null),
});
export type SyncError = z.infer<typeof SyncError>;

const WHERE = 'syncErrors';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CLAIM_MS = 2 * 60_000;

/** An error id from card data: a GUID or an InvalidInput that changes nothing. */
export function errorId(value: unknown): string {
  if (typeof value !== 'string' || !GUID.test(value)) {
    throw new DomainError(
      ErrorCode.InvalidInput,
      'That is not a synchronization error id; nothing was changed. Type `errors` to see the list.',
    );
  }
  return value;
}

export async function ensureSyncErrorIndexes(db: Db): Promise<void> {
  await ensureCollection(db, COLLECTIONS.syncErrors);
  await db.collection(COLLECTIONS.syncErrors).createIndexes([
    { key: { id: 1 }, name: 'id_unique', unique: true },
    // At most one open error per coupled record: a record that fails again updates it, never adds one.
    {
      key: { mapping: 1, bcId: 1 },
      name: 'open_per_record',
      unique: true,
      partialFilterExpression: { status: 'open' },
    },
    { key: { status: 1, mapping: 1, lastSeenAt: -1 }, name: 'status_mapping_lastSeen' },
    { key: { status: 1, recurringSince: 1 }, name: 'status_recurringSince' },
  ]);
}

/** The `syncErrors` collection. Filters are built from validated strings only. */
export class SyncErrorRepository {
  private readonly col;

  constructor(
    db: Db,
    private readonly now: () => Date,
  ) {
    this.col = db.collection(COLLECTIONS.syncErrors);
  }

  /**
   * Opens or refreshes the open error of each record, counting its streak of runs that failed the same
   * way; returns how many were new. A record that merely changes on both sides (pingPong) is not counted
   * as new: it goes to the managers' daily digest, not to a per-run alert.
   */
  async recordMany(inputs: readonly SyncErrorInput[]): Promise<number> {
    if (inputs.length === 0) return 0;
    const at = this.now();
    const before = await streaksBefore(this.col, inputs);
    const ops: AnyBulkWriteOperation[] = inputs.map((e) => {
      const streak = nextStreak(before.get(`${e.mapping}\u0000${e.bcId}`), e, at);
      return { updateOne: upsertOpen(e, at, streak) };
    });
    const countNew = (upserted: Record<number, unknown>) =>
      Object.keys(upserted).filter((i) => inputs[Number(i)]?.kind !== 'pingPong').length;
    try {
      return countNew((await this.col.bulkWrite(ops, { ordered: false })).upsertedIds);
    } catch (e) {
      // Two runs opened the same record's error at once: the unique index let one win; the retry
      // updates the winner's document instead of adding a second one.
      if (!isDuplicateKeyError(e)) throw e;
      return countNew((await this.col.bulkWrite(ops, { ordered: false })).upsertedIds);
    }
  }

  /** Closes the open errors of records that have since synchronized (or were acted on). */
  async resolveFor(
    mapping: string,
    bcIds: readonly string[],
    by: string,
    resolution: string,
  ): Promise<number> {
    if (bcIds.length === 0) return 0;
    const ids = bcIds.map((b) => filterString(b, 'Business Central id'));
    const res = await this.col.updateMany(
      { mapping: filterString(mapping, 'Mapping'), bcId: { $in: ids }, status: 'open' },
      {
        $set: {
          status: 'resolved',
          resolvedAt: this.now(),
          resolvedBy: by,
          resolution,
          claimedBy: null,
          claimedAt: null,
        },
      },
    );
    return res.modifiedCount;
  }

  async get(id: string): Promise<SyncError | null> {
    return parseDoc(SyncError, await this.col.findOne({ id: errorId(id) }), WHERE);
  }

  async getOpenFor(mapping: string, bcId: string): Promise<SyncError | null> {
    const query = {
      mapping: filterString(mapping, 'Mapping'),
      bcId: filterString(bcId, 'Business Central id'),
      status: 'open',
    };
    return parseDoc(SyncError, await this.col.findOne(query), WHERE);
  }

  /** Open errors, newest first; all mappings unless one is named; only recurring ones when asked. */
  async listOpen(filter: ErrorFilter & { limit?: number } = {}): Promise<SyncError[]> {
    const query = openQuery(filter);
    const docs = await this.col
      .find(query)
      .sort({ lastSeenAt: -1, _id: -1 })
      .limit(clampLimit(filter.limit, 20, 5000))
      .toArray();
    return parseDocs(SyncError, docs, WHERE);
  }

  /** Open errors of records waiting for another mapping's coupling: every run retries them. */
  async listWaiting(mapping: string, limit = 1000): Promise<SyncError[]> {
    const query = { status: 'open', mapping: filterString(mapping, 'Mapping'), waitingFor: { $ne: null } };
    const docs = await this.col
      .find(query)
      .sort({ lastSeenAt: 1, _id: 1 })
      .limit(clampLimit(limit, 1000, 5000))
      .toArray();
    return parseDocs(SyncError, docs, WHERE);
  }

  async countOpen(mapping?: string, options: Omit<ErrorFilter, 'mapping'> = {}): Promise<number> {
    return this.col.countDocuments(openQuery({ ...(mapping !== undefined ? { mapping } : {}), ...options }));
  }

  /**
   * Claims an open error for one action (compare-and-set). Null when it is no longer open or someone
   * else claimed it less than two minutes ago; a claim older than that belonged to a crashed action.
   */
  async claim(id: string, by: string): Promise<SyncError | null> {
    const at = this.now();
    const doc = await this.col.findOneAndUpdate(
      {
        id: errorId(id),
        status: 'open',
        $or: [{ claimedAt: null }, { claimedAt: { $lt: new Date(at.getTime() - CLAIM_MS) } }],
      },
      { $set: { claimedBy: by, claimedAt: at } },
      { returnDocument: 'after' },
    );
    return parseDoc(SyncError, doc, WHERE);
  }

  /** Gives a claimed error back (the action did not resolve it). */
  async release(id: string): Promise<void> {
    await this.col.updateOne(
      { id: errorId(id), status: 'open' },
      { $set: { claimedBy: null, claimedAt: null } },
    );
  }
}

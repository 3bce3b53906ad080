import type { Db } from 'mongodb';
import type { Clock } from '../ports/clock.js';
import { COLLECTIONS, ensureCollection } from '../store/collections.js';
import { isDuplicateKeyError } from '../store/documents.js';
import type { SyncError, SyncErrorRepository } from '../sync/sync-error-repository.js';

/** Records a digest names; `errors <mapping> recurring` lists them all. */
export const DIGEST_LIMIT = 20;

/** The managers' daily digest of records that loop. */
export interface RecurringDigest {
  /** The UTC day it is for (YYYY-MM-DD): one digest per day across every instance. */
  day: string;
  total: number;
  /** Of them, started to loop since the previous digest. */
  newSinceLast: number;
  /** The most recently seen first, at most DIGEST_LIMIT. */
  errors: SyncError[];
  /** Recurring records per mapping, for every mapping with any. */
  perMapping: Array<{ mapping: string; count: number }>;
}

interface DigestDoc {
  _id: string;
  day: string;
  sentAt: Date;
  total: number;
}

export async function ensureDigestIndexes(db: Db): Promise<void> {
  await ensureCollection(db, COLLECTIONS.digests);
}

/**
 * Claims today's digest of recurring records: null when nothing loops, or when this day's digest was
 * already claimed (here or by another instance: the insert of `digest:<day>` is the compare-and-set).
 * So managers get one message a day while records loop, and none on a quiet day.
 */
export function createDigestClaim(deps: {
  db: Db;
  clock: Clock;
  errors: Pick<SyncErrorRepository, 'listOpen' | 'countOpen'>;
}): () => Promise<RecurringDigest | null> {
  const col = deps.db.collection<DigestDoc>(COLLECTIONS.digests);
  return async () => {
    const total = await deps.errors.countOpen(undefined, { recurring: true });
    if (total === 0) return null;
    const now = deps.clock.now();
    const day = now.toISOString().slice(0, 10);
    const [previous] = await col.find({}).sort({ sentAt: -1 }).limit(1).toArray();
    try {
      await col.insertOne({ _id: `digest:${day}`, day, sentAt: now, total });
    } catch (e) {
      if (isDuplicateKeyError(e)) return null;
      throw e;
    }
    const errors = await deps.errors.listOpen({ recurring: true, limit: DIGEST_LIMIT });
    const newSinceLast = previous
      ? await deps.errors.countOpen(undefined, { recurringAfter: previous.sentAt })
      : total;
    const perMapping: RecurringDigest['perMapping'] = [];
    for (const mapping of [...new Set(errors.map((e) => e.mapping))].sort()) {
      perMapping.push({ mapping, count: await deps.errors.countOpen(mapping, { recurring: true }) });
    }
    return { day, total, newSinceLast, errors, perMapping };
  };
}

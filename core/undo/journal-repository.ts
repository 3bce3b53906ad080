import { MongoBulkWriteError, type Db } from 'mongodb';
import type { Clock } from '../ports/clock.js';
import { COLLECTIONS, ensureCollection } from '../store/collections.js';
import { cursorPages, parseDoc } from '../store/documents.js';
import { entryKey, JournalEntry, type JournalSystem, type UndoJournal } from './journal.js';

/** Journals are kept this long (a TTL index removes them); older jobs can no longer be undone. */
export const JOURNAL_DAYS = 7;
/** Bounded per job: a job that changed more than this is listed as too large to undo. */
export const MAX_ENTRIES_PER_JOB = 50_000;

interface JournalDoc {
  _id: string;
  jobId: string;
  /** Order of recording, so undo reverses newest first. */
  seq: number;
  at: Date;
  entry?: unknown;
  overflow?: true;
  /** The Undo job that reversed this entry (or judged it left as it is): a retry does not do it twice. */
  reversedBy?: string;
}

const onlyDuplicates = (e: unknown): boolean =>
  e instanceof MongoBulkWriteError &&
  (Array.isArray(e.writeErrors) ? e.writeErrors : [e.writeErrors]).every((w) => w.code === 11000);

export async function ensureUndoJournalIndexes(db: Db): Promise<void> {
  await ensureCollection(db, COLLECTIONS.undoJournal);
  await db.collection(COLLECTIONS.undoJournal).createIndexes([
    { key: { jobId: 1, seq: -1 }, name: 'jobId_seq' },
    { key: { at: 1 }, name: 'at_ttl', expireAfterSeconds: JOURNAL_DAYS * 24 * 3600 },
  ]);
}

export interface UndoJournalStore extends UndoJournal {
  /** The job's entries not reversed yet, newest first, page by page. */
  read(jobId: string, pageSize?: number): AsyncIterable<JournalEntry[]>;
  /** Notes entries an undo has dealt with, in one write: undoing the job again passes them over. */
  markReversed(jobId: string, entries: readonly JournalEntry[], undoJobId: string): Promise<void>;
  /** True when the job changed more than MAX_ENTRIES_PER_JOB things: it cannot be undone as a whole. */
  overflowed(jobId: string): Promise<boolean>;
  count(jobId: string): Promise<number>;
}

export function createUndoJournal(deps: { db: Db; clock: Clock }): UndoJournalStore {
  const col = deps.db.collection<JournalDoc>(COLLECTIONS.undoJournal);
  let last = 0;
  // Strictly increasing within this process even when the clock stands still (tests) or steps back.
  const nextSeq = (): number => (last = Math.max(last + 1, deps.clock.now().getTime() * 1000));
  const idOf = (jobId: string, key: string) => `${jobId}\n${key}`;
  // Entries per job as this process has written them: the bound is checked without a count per write
  // (a run journals every batch). Jobs are few at a time; the oldest are forgotten first.
  const counts = new Map<string, number>();
  async function countOf(jobId: string): Promise<number> {
    const known = counts.get(jobId);
    if (known !== undefined) return known;
    const n = await col.countDocuments({ jobId });
    counts.set(jobId, n);
    if (counts.size > 200) counts.delete(counts.keys().next().value as string);
    return n;
  }

  return {
    async record(jobId, entries) {
      if (entries.length === 0) return;
      const at = deps.clock.now();
      const count = await countOf(jobId);
      if (count + entries.length > MAX_ENTRIES_PER_JOB) {
        const _id = idOf(jobId, 'overflow');
        await col.updateOne(
          { _id },
          { $setOnInsert: { jobId, seq: nextSeq(), at, overflow: true } },
          {
            upsert: true,
          },
        );
        return;
      }
      const docs: JournalDoc[] = entries.map((e) => {
        const entry = JournalEntry.parse(e);
        return { _id: idOf(jobId, entryKey(entry)), jobId, seq: nextSeq(), at, entry };
      });
      // One insert per call (a run calls once per write batch); a retried entry is refused as a
      // duplicate, so the first record, whose before-values are the real ones, wins.
      const inserted = await col.insertMany(docs, { ordered: false }).then(
        (res) => res.insertedCount,
        (e: unknown) => {
          if (!onlyDuplicates(e)) throw e;
          return (e as MongoBulkWriteError).insertedCount;
        },
      );
      counts.set(jobId, count + inserted);
    },

    async created(jobId, system: JournalSystem, rows) {
      if (rows.length === 0) return;
      await col.bulkWrite(
        rows.map((r) => ({
          updateOne: {
            filter: { _id: idOf(jobId, `rc\n${system}\n${r.id}`) },
            update: { $set: { 'entry.modifiedOn': r.modifiedOn } },
          },
        })),
        { ordered: false },
      );
    },

    async *read(jobId, pageSize = 500) {
      const cursor = col
        .find({ jobId, entry: { $exists: true }, reversedBy: { $exists: false } })
        .sort({ seq: -1 })
        .batchSize(pageSize);
      yield* cursorPages(cursor, pageSize, (doc) =>
        parseDoc(JournalEntry, doc.entry as never, COLLECTIONS.undoJournal),
      );
    },

    async markReversed(jobId, entries, undoJobId) {
      if (entries.length === 0) return;
      await col.updateMany(
        { _id: { $in: entries.map((e) => idOf(jobId, entryKey(e))) } },
        { $set: { reversedBy: undoJobId } },
      );
    },

    async overflowed(jobId) {
      return (await col.countDocuments({ _id: idOf(jobId, 'overflow') })) > 0;
    },

    async count(jobId) {
      return col.countDocuments({ jobId, entry: { $exists: true } });
    },
  };
}

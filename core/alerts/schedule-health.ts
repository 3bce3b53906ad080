import type { Db } from 'mongodb';
import { z } from 'zod';
import type { Job } from '../model/job.js';
import type { Clock } from '../ports/clock.js';
import { COLLECTIONS, ensureCollection } from '../store/collections.js';
import { filterString, isDuplicateKeyError, parseDoc } from '../store/documents.js';

/** A mapping whose scheduled runs have not completed for this many intervals is stalled. */
export const STALL_INTERVALS = 3;

/** One scheduled mapping's health, in the store: it survives restarts and is shared by every instance. */
export const MappingHealth = z.object({
  mapping: z.string(),
  lastCompletedAt: z.date().nullable().default(null),
  /** The message of the last scheduled run that did not finish (Failed, Interrupted, Cancelled). */
  lastError: z.string().nullable().default(null),
  failuresInARow: z.number().int().min(0).default(0),
  /** Set when managers were told it stalled (compare-and-set: once across instances); null when healthy. */
  stalledAt: z.date().nullable().default(null),
  /** Since when no scheduled run completed, as told. */
  stalledSince: z.date().nullable().default(null),
});
export type MappingHealth = z.infer<typeof MappingHealth>;

type HealthDoc = { _id: string } & Partial<MappingHealth>;

export interface RunHealth {
  /** The mapping had been reported stalled and this run completed: managers hear it recovered, once. */
  recovered: MappingHealth | null;
  /** Scheduled runs in a row that did not finish, this one included (0 when it finished). */
  failuresInARow: number;
}

export async function ensureScheduleHealthIndexes(db: Db): Promise<void> {
  await ensureCollection(db, COLLECTIONS.scheduleHealth);
}

/**
 * Whether a finished scheduled run is worth a message of its own: new errors, or the first failure in
 * a row. Later failures in a row are the stalled-schedule alert's to tell (once, then once on recovery),
 * and errors that merely come back are the daily digest's.
 */
export function alertsOnItsOwn(job: Job, newErrors: number, failuresInARow: number): boolean {
  if (job.status !== 'Finished') return failuresInARow <= 1;
  return newErrors > 0;
}

export interface ScheduleHealth {
  /** A scheduled run ended: completed (and recovered?) or one more failure in a row. */
  recordRun(job: Job): Promise<RunHealth>;
  /** A scheduled run's job was marked Interrupted (no progress): stalled now, its managers already told. */
  markStalled(mapping: string, reason: string): Promise<boolean>;
  /**
   * Mappings with no completed scheduled run for STALL_INTERVALS intervals, counted from their last
   * completion and never from before `watchingSince` (this instance's start: downtime is not a stall).
   * Each is handed to exactly one caller across instances, once until it recovers.
   */
  claimStalls(mappings: readonly string[], watchingSince: Date): Promise<MappingHealth[]>;
}

export function createScheduleHealth(deps: {
  db: Db;
  clock: Clock;
  intervalMinutes: number;
}): ScheduleHealth {
  const col = deps.db.collection<HealthDoc>(COLLECTIONS.scheduleHealth);
  const key = (mapping: string) => filterString(mapping, 'Mapping');
  const read = (doc: unknown) =>
    parseDoc(MappingHealth, doc as Record<string, unknown> | null, 'scheduleHealth');

  /** Upserts that lose to another instance's insert of the same mapping hit the unique `_id`: they lost the race. */
  async function casOrNull<T>(write: () => Promise<T>): Promise<T | null> {
    try {
      return await write();
    } catch (e) {
      if (isDuplicateKeyError(e)) return null;
      throw e;
    }
  }

  return {
    async recordRun(job) {
      const now = deps.clock.now();
      const _id = key(job.mapping);
      if (job.status === 'Finished') {
        const before = await col.findOneAndUpdate(
          { _id },
          {
            $set: {
              mapping: job.mapping,
              lastCompletedAt: now,
              lastError: null,
              failuresInARow: 0,
              stalledAt: null,
              stalledSince: null,
            },
          },
          { upsert: true, returnDocument: 'before' },
        );
        const was = read(before);
        return { recovered: was?.stalledAt ? was : null, failuresInARow: 0 };
      }
      const after = await col.findOneAndUpdate(
        { _id },
        { $set: { mapping: job.mapping, lastError: job.message }, $inc: { failuresInARow: 1 } },
        { upsert: true, returnDocument: 'after' },
      );
      return { recovered: null, failuresInARow: read(after)?.failuresInARow ?? 1 };
    },

    async markStalled(mapping, reason) {
      const now = deps.clock.now();
      const res = await casOrNull(() =>
        col.updateOne(
          { _id: key(mapping), stalledAt: null },
          { $set: { mapping, lastError: reason, stalledAt: now, stalledSince: now } },
          { upsert: true },
        ),
      );
      return res !== null && (res.modifiedCount === 1 || res.upsertedCount === 1);
    },

    async claimStalls(mappings, watchingSince) {
      const now = deps.clock.now();
      const stallMs = STALL_INTERVALS * deps.intervalMinutes * 60_000;
      const claimed: MappingHealth[] = [];
      if (stallMs <= 0) return claimed;
      for (const mapping of mappings) {
        const current = read(await col.findOne({ _id: key(mapping) }));
        if (current?.stalledAt) continue;
        const completed = current?.lastCompletedAt?.getTime() ?? 0;
        const since = new Date(Math.max(completed, watchingSince.getTime()));
        if (now.getTime() - since.getTime() < stallMs) continue;
        const doc = await casOrNull(() =>
          col.findOneAndUpdate(
            { _id: key(mapping), stalledAt: null },
            { $set: { mapping, stalledAt: now, stalledSince: since } },
            { upsert: true, returnDocument: 'after' },
          ),
        );
        const told = read(doc);
        if (told) claimed.push(told);
      }
      return claimed;
    },
  };
}

import type { Db } from 'mongodb';
import { COLLECTIONS, ensureCollection } from '../store/collections.js';
import { isDuplicateKeyError } from '../store/documents.js';

/** One interval of one mapping, claimed by the instance that runs it. `_id` = "<mapping>:<interval start>". */
export interface SlotDoc {
  _id: string;
  mapping: string;
  slotStart: Date;
  owner: string;
  claimedAt: Date;
  /** The owner renews this while it runs (heartbeat); past it the slot is taken over. */
  expiresAt: Date;
  status: 'running' | 'finished' | 'failed' | 'skipped';
  finishedAt: Date | null;
  jobId: string | null;
  note: string | null;
}

export async function ensureLeaseIndexes(db: Db): Promise<void> {
  await ensureCollection(db, COLLECTIONS.leases);
  await db.collection(COLLECTIONS.leases).createIndexes([
    { key: { mapping: 1, slotStart: -1 }, name: 'mapping_slotStart' },
    { key: { slotStart: 1 }, name: 'slotStart' },
  ]);
}

export const slotId = (mapping: string, slotStart: Date): string => `${mapping}:${slotStart.toISOString()}`;

/** The scheduler's slot documents (collection `leases`). */
export class SlotStore {
  private readonly col;

  constructor(db: Db) {
    this.col = db.collection<SlotDoc>(COLLECTIONS.leases);
  }

  /** True for the one instance whose insert created the slot; the others hit the unique `_id`. */
  async claim(mapping: string, slotStart: Date, owner: string, now: Date, leaseMs: number): Promise<boolean> {
    const doc: SlotDoc = {
      _id: slotId(mapping, slotStart),
      mapping,
      slotStart,
      owner,
      claimedAt: now,
      expiresAt: new Date(now.getTime() + leaseMs),
      status: 'running',
      finishedAt: null,
      jobId: null,
      note: null,
    };
    try {
      await this.col.insertOne(doc);
      return true;
    } catch (e) {
      if (isDuplicateKeyError(e)) return false;
      throw e;
    }
  }

  /**
   * Takes over a running slot whose owner stopped renewing it (the instance died): compare-and-set on
   * its expiry, so of several instances one wins. Returns the owner it was taken from, or null.
   */
  async takeOver(
    mapping: string,
    slotStart: Date,
    owner: string,
    now: Date,
    leaseMs: number,
  ): Promise<string | null> {
    const before = await this.col.findOneAndUpdate(
      { _id: slotId(mapping, slotStart), status: 'running', expiresAt: { $lt: now } },
      {
        $set: {
          owner,
          claimedAt: now,
          expiresAt: new Date(now.getTime() + leaseMs),
          note: 'taken over: the instance that claimed it stopped renewing it',
        },
      },
      { returnDocument: 'before' },
    );
    return before ? before.owner : null;
  }

  /** The owner's heartbeat: the slot stays its own for another lease. */
  async renew(mapping: string, slotStart: Date, owner: string, now: Date, leaseMs: number): Promise<void> {
    await this.col.updateOne(
      { _id: slotId(mapping, slotStart), owner, status: 'running' },
      { $set: { expiresAt: new Date(now.getTime() + leaseMs) } },
    );
  }

  /** A live run of an earlier interval (within `since`, still renewed): a slow run still going. */
  async earlierStillRunning(mapping: string, slotStart: Date, since: Date, now: Date): Promise<boolean> {
    const prev = await this.col.findOne({
      mapping,
      status: 'running',
      slotStart: { $lt: slotStart, $gte: since },
      expiresAt: { $gte: now },
    });
    return prev !== null;
  }

  async close(
    mapping: string,
    slotStart: Date,
    end: Pick<SlotDoc, 'status' | 'finishedAt'> & Partial<Pick<SlotDoc, 'jobId' | 'note'>>,
  ): Promise<void> {
    await this.col.updateOne({ _id: slotId(mapping, slotStart) }, { $set: end });
  }

  /** Slots are history; old ones go. */
  async prune(before: Date): Promise<void> {
    await this.col.deleteMany({ slotStart: { $lt: before } });
  }
}

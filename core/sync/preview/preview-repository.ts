import type { Collection, Db } from 'mongodb';
import { z } from 'zod';
import { JobCounters } from '../../model/job.js';
import { FieldValue } from '../../model/record.js';
import { COLLECTIONS, ensureCollection } from '../../store/collections.js';
import { filterString, parseDoc } from '../../store/documents.js';
import { CATEGORIES } from './summary.js';

const Example = z.object({
  bcId: z.string().nullable(),
  bcNumber: z.string(),
  dvId: z.string().nullable(),
  name: z.string(),
  changes: z.array(
    z.object({ side: z.enum(['bc', 'dv']), field: z.string(), old: FieldValue, new: FieldValue }),
  ),
  message: z.string(),
});
const Category = z.object({ count: z.number().int().min(0), examples: z.array(Example).max(10) });
const Summary = z.object({
  ...(Object.fromEntries(CATEGORIES.map((c) => [c, Category])) as Record<
    (typeof CATEGORIES)[number],
    typeof Category
  >),
  unchanged: z.number().int().min(0),
});
const Stamps = z.array(z.tuple([z.string(), z.string()]));

/** A stored preview: what it showed and what it depended on, until it expires or is run. */
export const StoredPreview = z.object({
  id: z.string(),
  kind: z.enum(['all', 'modified', 'uncouple-all']),
  mapping: z.string(),
  createdAt: z.date(),
  expiresAt: z.date(),
  createdBy: z.string(),
  createdById: z.string(),
  settings: z.object({
    direction: z.string(),
    syncOnlyCoupled: z.boolean(),
    tableFilter: z.string(),
    integrationTableFilter: z.string(),
    updateConflictResolution: z.string(),
    deletionConflictResolution: z.string(),
    fields: z.string(),
    marks: z.string(),
  }),
  couplings: z.number().int().min(0),
  /** Uncouple all: a digest of the coupled BC ids, so the same count of other couplings is noticed. */
  couplingDigest: z.string(),
  /** Records changed after this were stamped by the preview and are checked again before running. */
  cutoff: z.date(),
  stamps: z.object({ bc: Stamps, dv: Stamps, overflow: z.boolean() }),
  summary: Summary,
  counters: JobCounters,
  /** Set by the one click that ran it (compare-and-set): a second click runs nothing. */
  claimedBy: z.object({ byId: z.string(), byName: z.string(), at: z.date() }).nullable(),
});
export type StoredPreview = z.infer<typeof StoredPreview>;

export async function ensurePreviewIndexes(db: Db): Promise<void> {
  await ensureCollection(db, COLLECTIONS.syncPreviews);
  await db.collection(COLLECTIONS.syncPreviews).createIndexes([{ key: { expiresAt: 1 }, name: 'expiresAt' }]);
}

type Doc = Omit<StoredPreview, 'id'> & { _id: string };

export class PreviewRepository {
  private readonly col: Collection<Doc>;
  constructor(db: Db) {
    this.col = db.collection<Doc>(COLLECTIONS.syncPreviews);
  }

  /** Stores a preview; expired ones go at the same time, so the collection holds about an hour of previews. */
  async insert(p: StoredPreview, now: Date): Promise<void> {
    await this.col.deleteMany({ expiresAt: { $lt: now } });
    const { id, ...rest } = StoredPreview.parse(p);
    await this.col.insertOne({ _id: id, ...rest });
  }

  async get(id: string): Promise<StoredPreview | null> {
    const doc = await this.col.findOne({ _id: filterString(id, 'A preview id', 64) });
    return doc ? parseDoc(StoredPreview, { ...doc, id: doc._id }, COLLECTIONS.syncPreviews) : null;
  }

  /** The compare-and-set of Run for real: true for the one click that claims an unclaimed preview. */
  async claim(id: string, by: { byId: string; byName: string; at: Date }): Promise<boolean> {
    const r = await this.col.updateOne(
      { _id: filterString(id, 'A preview id', 64), claimedBy: null },
      { $set: { claimedBy: by } },
    );
    return r.modifiedCount === 1;
  }

  /** A claimed run that could not start (the mapping was busy): the preview may be run again. */
  async release(id: string): Promise<void> {
    await this.col.updateOne({ _id: filterString(id, 'A preview id', 64) }, { $set: { claimedBy: null } });
  }
}

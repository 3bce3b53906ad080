import type { Db, Document } from 'mongodb';
import { COLLECTIONS, ensureCollection } from '../store/collections.js';
import { filterString, parseDoc, parseDocs } from '../store/documents.js';
import {
  encodeOutcome,
  MatchRun,
  RowPage,
  type AppliedCounters,
  type MatchRunStatus,
  type NearApproval,
  type Person,
  type RowResult,
  type StoredRow,
  type StoredRowDoc,
} from './run-documents.js';

/** Rows per stored page by default: ~500 rows stay far below MongoDB's 16 MB document limit (~300 B a row). */
export const STORED_PAGE_SIZE = 500;
/**
 * Page documents written per insertMany call while storing a proposal. Few: a write's rows exist
 * several times over until it is acknowledged (encoded, as BSON, decoded by the store), and the heap
 * grows with that transient bulk. Measured on the 100k bench run in its own process: 20 pages a write
 * peaked at 431–451 MB RSS, 4 at 373–382 MB; a write is one round trip (~0.1 ms), 50 for 100k rows.
 */
const PAGES_PER_WRITE = 4;

export type DecisionPatch =
  | { status: 'Applying'; decision: 'all' | 'selected'; selectedRowIds: string[]; leaseUntil: Date }
  | { status: 'Rejected'; decision: 'reject' };

export interface MatchRunRepository {
  /**
   * Stores the rows (pages first), then the run: a run is never visible with half its rows. `pages` are
   * the rows cut into `run.pageSize`, in order, taken one at a time and not held once written, so a
   * caller that lets go of what it hands over (propose-run.ts's drain) keeps no second copy.
   */
  insert(run: MatchRun, pages: Iterable<readonly StoredRowDoc[]>): Promise<void>;
  get(id: string): Promise<MatchRun | null>;
  /** When the mapping's most recent Approved run was proposed, or null when none was ever approved. */
  lastApprovedAt(mapping: string): Promise<Date | null>;
  /** Rows at storage positions [start, start + count), reading only the pages that hold them. */
  rows(run: Pick<MatchRun, 'id' | 'pageSize'>, start: number, count: number): Promise<StoredRow[]>;
  page(runId: string, page: number): Promise<RowPage | null>;
  /** Compare-and-set Proposed (and not expired at `now`) → the decision; false when someone was first. */
  decide(id: string, now: Date, by: Person, patch: DecisionPatch): Promise<boolean>;
  /** Takes over an Applying/Failed run whose lease ran out; false when it is still owned or not stuck. */
  takeOver(id: string, now: Date, leaseUntil: Date): Promise<boolean>;
  setJob(id: string, jobId: string): Promise<void>;
  renewLease(id: string, leaseUntil: Date): Promise<void>;
  saveCreated(runId: string, page: number, created: ReadonlyMap<number, string>): Promise<void>;
  /** Remembers on the stored row that a manager coupled it to one of its near candidates. */
  saveNearApproval(runId: string, page: number, index: number, approval: NearApproval): Promise<void>;
  /** Writes each row's result and marks the page applied. */
  savePageResults(
    runId: string,
    page: number,
    results: ReadonlyMap<number, RowResult>,
    at: Date,
  ): Promise<void>;
  finish(
    id: string,
    status: Extract<MatchRunStatus, 'Approved' | 'Failed'>,
    applied: AppliedCounters,
    message: string,
  ): Promise<void>;
  /** Ids of runs left Applying whose lease ran out: their process died (resume them). */
  findStuck(now: Date): Promise<string[]>;
  /** Marks every Proposed run past its expiry as Expired; returns how many. */
  expireDue(now: Date): Promise<number>;
}

export async function ensureMatchIndexes(db: Db): Promise<void> {
  await ensureCollection(db, COLLECTIONS.matchRuns);
  await ensureCollection(db, COLLECTIONS.matchRunRows);
  await db.collection(COLLECTIONS.matchRuns).createIndexes([
    { key: { id: 1 }, name: 'id_unique', unique: true },
    { key: { status: 1, expiresAt: 1 }, name: 'status_expiresAt' },
    { key: { status: 1, leaseUntil: 1 }, name: 'status_leaseUntil' },
    { key: { mapping: 1, createdAt: -1 }, name: 'mapping_createdAt' },
  ]);
  await db
    .collection(COLLECTIONS.matchRunRows)
    .createIndexes([{ key: { runId: 1, page: 1 }, name: 'runId_page_unique', unique: true }]);
}

/** A row as a page document holds it: the outcome as its JSON text (see StoredOutcome). */
const storedRow = ({ outcome, ...rest }: StoredRowDoc): Document => ({
  outcome: encodeOutcome(outcome),
  ...rest,
});

const runId = (id: unknown): string => filterString(id, 'Match run id', 100);
const pageNo = (n: number): number => (Number.isInteger(n) && n >= 0 ? n : 0);

export function createMatchRunRepository(db: Db): MatchRunRepository {
  const runs = db.collection(COLLECTIONS.matchRuns);
  const pages = db.collection(COLLECTIONS.matchRunRows);
  const where = 'matchRunRows';

  /**
   * `count` rows of one stored page from position `from` in it. A card shows 25 of a page's 500 rows:
   * only those travel and are parsed ($slice), which keeps paging through a big run quick.
   */
  async function sliceOfPage(run: string, page: number, from: number, count: number): Promise<StoredRow[]> {
    const doc = await pages.findOne(
      { runId: run, page },
      { projection: { runId: 1, page: 1, start: 1, appliedAt: 1, rows: { $slice: [from, count] } } },
    );
    if (!doc) return [];
    // Row ids come from positions: the slice's first row sits `from` rows into the page.
    return parseDoc(RowPage, { ...doc, start: Number(doc['start']) + from }, where).rows;
  }

  return {
    async insert(run, rowPages) {
      const valid = MatchRun.parse(run);
      const size = valid.pageSize;
      // Pages are encoded a write at a time, so only one write's worth of encoded rows exists at once.
      let docs: Document[] = [];
      let p = 0;
      for (const rows of rowPages) {
        docs.push({ runId: valid.id, page: p, start: p * size, rows: rows.map(storedRow), appliedAt: null });
        p++;
        if (docs.length === PAGES_PER_WRITE) {
          await pages.insertMany(docs, { ordered: false });
          docs = [];
        }
      }
      if (docs.length > 0) await pages.insertMany(docs, { ordered: false });
      await runs.insertOne({ ...valid });
    },

    async get(id) {
      return parseDoc(MatchRun, await runs.findOne({ id: runId(id) }), 'matchRuns');
    },

    async lastApprovedAt(mapping) {
      const name = filterString(mapping, 'Table mapping name', 100);
      const doc = await runs.findOne(
        { mapping: name, status: 'Approved' },
        { sort: { createdAt: -1 }, projection: { _id: 0, createdAt: 1 } },
      );
      return doc?.createdAt instanceof Date ? doc.createdAt : null;
    },

    async rows({ id, pageSize: size }, start, count) {
      const run = runId(id);
      if (count <= 0 || start < 0) return [];
      const first = Math.floor(start / size);
      const last = Math.floor((start + count - 1) / size);
      if (first === last) return sliceOfPage(run, first, start - first * size, count);
      const docs = await pages
        .find({ runId: run, page: { $gte: first, $lte: last } })
        .sort({ page: 1 })
        .toArray();
      const all = parseDocs(RowPage, docs, where).flatMap((d) => d.rows);
      const offset = start - first * size;
      return all.slice(offset, offset + count);
    },

    async page(id, page) {
      return parseDoc(RowPage, await pages.findOne({ runId: runId(id), page: pageNo(page) }), where);
    },

    async decide(id, now, by, patch) {
      const res = await runs.updateOne(
        { id: runId(id), status: 'Proposed', expiresAt: { $gt: now } },
        { $set: { ...patch, decidedBy: { id: by.id, name: by.name }, decidedAt: now } },
      );
      return res.modifiedCount === 1;
    },

    async takeOver(id, now, leaseUntil) {
      const res = await runs.updateOne(
        {
          id: runId(id),
          status: { $in: ['Applying', 'Failed'] },
          $or: [{ leaseUntil: { $lt: now } }, { leaseUntil: null }],
        },
        { $set: { status: 'Applying', leaseUntil, message: '' } },
      );
      return res.modifiedCount === 1;
    },

    async setJob(id, jobId) {
      await runs.updateOne({ id: runId(id) }, { $set: { jobId } });
    },

    async renewLease(id, leaseUntil) {
      await runs.updateOne({ id: runId(id), status: 'Applying' }, { $set: { leaseUntil } });
    },

    async saveCreated(id, page, created) {
      const set: Record<string, string> = {};
      for (const [index, dvId] of created) set[`rows.${index}.createdDvId`] = dvId;
      if (Object.keys(set).length > 0)
        await pages.updateOne({ runId: runId(id), page: pageNo(page) }, { $set: set });
    },

    async saveNearApproval(id, page, index, approval) {
      if (!Number.isInteger(index) || index < 0) return;
      await pages.updateOne(
        { runId: runId(id), page: pageNo(page) },
        { $set: { [`rows.${index}.nearApproved`]: approval } },
      );
    },

    async savePageResults(id, page, results, at) {
      const set: Record<string, unknown> = { appliedAt: at };
      for (const [index, result] of results) set[`rows.${index}.result`] = result;
      await pages.updateOne({ runId: runId(id), page: pageNo(page) }, { $set: set });
    },

    async finish(id, status, applied, message) {
      await runs.updateOne(
        { id: runId(id), status: 'Applying' },
        { $set: { status, applied, message, leaseUntil: null } },
      );
    },

    async findStuck(now) {
      const docs = await runs
        .find({ status: 'Applying', leaseUntil: { $lt: now } }, { projection: { id: 1 } })
        .limit(100)
        .toArray();
      return docs.map((d) => String(d['id']));
    },

    async expireDue(now) {
      const res = await runs.updateMany(
        { status: 'Proposed', expiresAt: { $lte: now } },
        { $set: { status: 'Expired', message: 'Expired: nobody decided in time.' } },
      );
      return res.modifiedCount;
    },
  };
}

import type { Db } from 'mongodb';
import { DomainError, ErrorCode } from '../errors.js';
import { newId } from '../ids.js';
import {
  CancelRequest,
  emptyCounters,
  Job,
  JobCounters,
  UndoMark,
  type JobStatus,
  type JobType,
} from '../model/job.js';
import type { Clock } from '../ports/clock.js';
import { COLLECTIONS, ensureCollection } from '../store/collections.js';
import { clampLimit, filterString, parseDoc, parseDocs } from '../store/documents.js';

export interface StartJobInput {
  mapping: string;
  type: JobType;
  /** 'ToIntegrationTable' | 'FromIntegrationTable' | 'Bidirectional', or '' for coupling jobs. */
  direction: string;
  startedBy: string;
  /** Entra object id of who started it: they (and managers) may cancel it. */
  startedById?: string;
  message?: string;
  /** The id to give the job, when its changes were journalled under it before it was started. */
  id?: string;
}

/** What a runner learns when it reports a chunk's counters: whether to go on. */
export interface JobProgress {
  /** False when the job is no longer Running (marked Interrupted elsewhere): stop, do not race it. */
  running: boolean;
  /** Set when someone asked the job to stop: stop at this chunk boundary and end it Cancelled. */
  cancelRequest: CancelRequest | null;
}

/** The compare-and-set of a cancel request: `requested` only for the one request that set it. */
export type CancelRequestResult =
  | { outcome: 'requested'; job: Job }
  | { outcome: 'already'; job: Job }
  | { outcome: 'ended'; job: Job }
  | { outcome: 'notFound' };

export interface JobRepository {
  start(input: StartJobInput): Promise<string>;
  /** Adds to the job's counters ($inc); false when the job is no longer Running (stop working on it). */
  incrementCounters(id: string, counters: Partial<JobCounters>): Promise<boolean>;
  /**
   * The heartbeat a runner writes after each chunk: adds the chunk's counters (like incrementCounters)
   * and reads back, in the same write, whether the job is still Running and whether a cancel was asked.
   */
  progress(id: string, counters: Partial<JobCounters>): Promise<JobProgress>;
  /** Records how many records a Running job expects to examine (its progress shows a percentage of it). */
  setTotal(id: string, total: number): Promise<void>;
  /** Sets the cancel request on a Running job that has none (compare-and-set); see CancelRequestResult. */
  requestCancel(id: string, by: { byId: string; byName: string }): Promise<CancelRequestResult>;
  /**
   * Marks a finished job undone (compare-and-set): the mark that won, and whether it is this call's.
   * A job partly undone, or whose mark was left without an Undo job for STALE_UNDO_MARK_MS (the process
   * died between the two writes), can be marked again. `undoJobId` is set afterwards with setUndoJob.
   */
  markUndone(id: string, by: { byId: string; byName: string }): Promise<{ won: boolean; job: Job | null }>;
  setUndoJob(id: string, undoJobId: string): Promise<void>;
  /** The undo with this Undo job stopped or left failures: undoing the job again reverses what is left. */
  markPartlyUndone(id: string, undoJobId: string): Promise<void>;
  /**
   * Gives an undo mark back when no undo started under it (compare-and-set: only while `mine` is still
   * the mark and has no Undo job); `previous` is what it replaced (null, or a partly-undone mark).
   */
  clearUndone(id: string, mine: UndoMark, previous: UndoMark | null): Promise<void>;
  /** The most recent ended jobs started by this Entra object id that are not undone yet (at most 10). */
  recentUndoableStartedBy(startedById: string, types: readonly JobType[]): Promise<Job[]>;
  /** The most recent Running job started by this Entra object id, or null. */
  latestRunningStartedBy(startedById: string): Promise<Job | null>;
  /** Ends a Running job; false when it had already ended (finished twice, or marked Interrupted). Cancelled only when a cancel was requested. */
  finish(id: string, status: Exclude<JobStatus, 'Running'>, message: string): Promise<boolean>;
  get(id: string): Promise<Job | null>;
  listRecent(filter?: { mapping?: string; type?: JobType; limit?: number }): Promise<Job[]>;
  /**
   * Marks jobs left Running by a process that died as Interrupted. Without `olderThan`, every Running
   * job (one instance, at start-up); with it, only jobs with no progress since then — the safe choice
   * when several instances share the database, since another instance's live job keeps moving.
   */
  markInterrupted(options?: { olderThan?: Date }): Promise<number>;
  /**
   * Jobs marked Interrupted whose managers have not been told yet, each handed to exactly one caller
   * across instances (compare-and-set on the job): whoever gets a job tells the managers, once.
   */
  claimStallAlerts(limit?: number): Promise<Job[]>;
}

/** A mark older than this with no Undo job belongs to an undo that never started (the process died). */
export const STALE_UNDO_MARK_MS = 10 * 60 * 1000;

const COUNTER_KEYS = Object.keys(emptyCounters()) as Array<keyof JobCounters>;

export const INTERRUPTED_MESSAGE =
  'Interrupted: Coupling Assistant stopped while this job was running. The counters show what was ' +
  'done before it stopped; run it again to finish the rest.';

export async function ensureJobIndexes(db: Db): Promise<void> {
  await ensureCollection(db, COLLECTIONS.jobs);
  await db.collection(COLLECTIONS.jobs).createIndexes([
    { key: { id: 1 }, name: 'id_unique', unique: true },
    { key: { startedAt: -1 }, name: 'startedAt' },
    { key: { mapping: 1, startedAt: -1 }, name: 'mapping_startedAt' },
    { key: { status: 1, lastActivityAt: 1 }, name: 'status_lastActivityAt' },
    { key: { startedById: 1, status: 1, startedAt: -1 }, name: 'startedById_status_startedAt' },
  ]);
}

/** Validates a counters patch: known names, whole numbers ≥ 0; builds the $inc document. */
function counterIncrements(counters: Partial<JobCounters>): Record<string, number> {
  const inc: Record<string, number> = {};
  for (const [key, value] of Object.entries(counters)) {
    if (!COUNTER_KEYS.includes(key as keyof JobCounters)) {
      throw new DomainError(
        ErrorCode.InvalidInput,
        `Unknown job counter "${key}"; use ${COUNTER_KEYS.join(', ')}.`,
      );
    }
    if (!Number.isInteger(value) || (value as number) < 0) {
      throw new DomainError(ErrorCode.InvalidInput, `Job counter ${key} must grow by a whole number ≥ 0.`);
    }
    if (value) inc[`counters.${key}`] = value;
  }
  return inc;
}

export function createJobRepository(deps: { db: Db; clock: Clock }): JobRepository {
  const col = deps.db.collection(COLLECTIONS.jobs);
  const jobId = (id: unknown) => filterString(id, 'Job id', 100);

  return {
    async start(input) {
      const now = deps.clock.now();
      const job = Job.parse({
        id: input.id ?? newId(),
        mapping: input.mapping,
        type: input.type,
        direction: input.direction,
        status: 'Running',
        startedAt: now,
        finishedAt: null,
        startedBy: input.startedBy,
        startedById: (input.startedById ?? '').trim().toLowerCase(),
        counters: emptyCounters(),
        message: input.message ?? '',
        cancelRequest: null,
        undone: null,
        total: null,
      });
      await col.insertOne({ ...job, lastActivityAt: now });
      return job.id;
    },

    async incrementCounters(id, counters) {
      const inc = counterIncrements(counters);
      const res = await col.updateOne(
        { id: jobId(id), status: 'Running' },
        { $inc: inc, $set: { lastActivityAt: deps.clock.now() } },
      );
      return res.matchedCount === 1;
    },

    async progress(id, counters) {
      const inc = counterIncrements(counters);
      const doc = await col.findOneAndUpdate(
        { id: jobId(id), status: 'Running' },
        { ...(Object.keys(inc).length > 0 ? { $inc: inc } : {}), $set: { lastActivityAt: deps.clock.now() } },
        { returnDocument: 'after', projection: { _id: 0, cancelRequest: 1 } },
      );
      if (!doc) return { running: false, cancelRequest: null };
      const request = CancelRequest.nullable().safeParse(doc['cancelRequest'] ?? null);
      return { running: true, cancelRequest: request.success ? request.data : null };
    },

    async setTotal(id, total) {
      if (!Number.isInteger(total) || total < 0) {
        throw new DomainError(ErrorCode.InvalidInput, 'A job total is a whole number ≥ 0.');
      }
      await col.updateOne({ id: jobId(id), status: 'Running' }, { $set: { total } });
    },

    async requestCancel(id, by) {
      const key = jobId(id);
      const request = CancelRequest.parse({ byId: by.byId, byName: by.byName, at: deps.clock.now() });
      // Compare-and-set: only a Running job without a request takes it; every other answer reads the job.
      const res = await col.updateOne(
        { id: key, status: 'Running', cancelRequest: null },
        { $set: { cancelRequest: request } },
      );
      const job = parseDoc(Job, await col.findOne({ id: key }), 'jobs');
      if (!job) return { outcome: 'notFound' };
      if (res.matchedCount === 1) return { outcome: 'requested', job };
      return job.status === 'Running' ? { outcome: 'already', job } : { outcome: 'ended', job };
    },

    async markUndone(id, by) {
      const key = jobId(id);
      const mark = UndoMark.parse({
        byId: by.byId,
        byName: by.byName,
        at: deps.clock.now(),
        undoJobId: null,
      });
      const stale = new Date(mark.at.getTime() - STALE_UNDO_MARK_MS);
      const res = await col.updateOne(
        {
          id: key,
          status: { $ne: 'Running' },
          $or: [
            { undone: null },
            { 'undone.partly': true },
            { 'undone.undoJobId': null, 'undone.at': { $lt: stale } },
          ],
        },
        { $set: { undone: mark } },
      );
      return { won: res.matchedCount === 1, job: parseDoc(Job, await col.findOne({ id: key }), 'jobs') };
    },

    async setUndoJob(id, undoJobId) {
      await col.updateOne({ id: jobId(id) }, { $set: { 'undone.undoJobId': jobId(undoJobId) } });
    },

    async markPartlyUndone(id, undoJobId) {
      await col.updateOne(
        { id: jobId(id), 'undone.undoJobId': jobId(undoJobId) },
        { $set: { 'undone.partly': true } },
      );
    },

    async clearUndone(id, mine, previous) {
      await col.updateOne(
        {
          id: jobId(id),
          'undone.byId': filterString(mine.byId, 'User id', 200),
          'undone.at': mine.at,
          'undone.undoJobId': null,
        },
        { $set: { undone: previous === null ? null : UndoMark.parse(previous) } },
      );
    },

    async recentUndoableStartedBy(startedById, types) {
      const docs = await col
        .find({
          startedById: filterString(startedById, 'User id', 200),
          status: { $ne: 'Running' },
          type: { $in: types.map((t) => filterString(t, 'Job type')) },
          $or: [{ undone: null }, { 'undone.partly': true }],
        })
        .sort({ startedAt: -1, _id: -1 })
        .limit(10)
        .toArray();
      return parseDocs(Job, docs, 'jobs');
    },

    async latestRunningStartedBy(startedById) {
      const doc = await col
        .find({ startedById: filterString(startedById, 'User id', 200), status: 'Running' })
        .sort({ startedAt: -1, _id: -1 })
        .limit(1)
        .toArray();
      return parseDoc(Job, doc[0] ?? null, 'jobs');
    },

    async finish(id, status, message) {
      if (!['Finished', 'Failed', 'Interrupted', 'Cancelled'].includes(status)) {
        throw new DomainError(
          ErrorCode.InvalidInput,
          `A job ends as Finished, Failed, Interrupted or Cancelled, not "${status}".`,
        );
      }
      const now = deps.clock.now();
      const filter: Record<string, unknown> = { id: jobId(id), status: 'Running' };
      // Only a job someone asked to stop ends Cancelled: the request says who and when.
      if (status === 'Cancelled') filter['cancelRequest'] = { $ne: null };
      const res = await col.updateOne(filter, {
        $set: { status, message, finishedAt: now, lastActivityAt: now },
      });
      return res.matchedCount === 1;
    },

    async get(id) {
      return parseDoc(Job, await col.findOne({ id: jobId(id) }), 'jobs');
    },

    async listRecent(filter = {}) {
      const query: Record<string, string> = {};
      if (filter.mapping !== undefined) query['mapping'] = filterString(filter.mapping, 'Mapping name');
      if (filter.type !== undefined) query['type'] = filterString(filter.type, 'Job type');
      const docs = await col
        .find(query)
        .sort({ startedAt: -1, _id: -1 })
        .limit(clampLimit(filter.limit, 10, 100))
        .toArray();
      return parseDocs(Job, docs, 'jobs');
    },

    async markInterrupted(options = {}) {
      const now = deps.clock.now();
      const query: Record<string, unknown> = { status: 'Running' };
      if (options.olderThan !== undefined) {
        if (!(options.olderThan instanceof Date) || Number.isNaN(options.olderThan.getTime())) {
          throw new DomainError(ErrorCode.InvalidInput, 'markInterrupted: olderThan must be a valid Date.');
        }
        query['lastActivityAt'] = { $lt: options.olderThan };
      }
      const res = await col.updateMany(query, {
        $set: {
          status: 'Interrupted',
          message: INTERRUPTED_MESSAGE,
          finishedAt: now,
          lastActivityAt: now,
          stallAlert: 'due',
        },
      });
      return res.modifiedCount;
    },

    async claimStallAlerts(limit = 20) {
      const claimed: Job[] = [];
      for (let i = 0; i < Math.min(Math.max(1, limit), 100); i++) {
        const doc = await col.findOneAndUpdate(
          { status: 'Interrupted', stallAlert: 'due' },
          { $set: { stallAlert: 'sent', stallAlertAt: deps.clock.now() } },
          { returnDocument: 'after' },
        );
        const job = parseDoc(Job, doc, 'jobs');
        if (!job) break;
        claimed.push(job);
      }
      return claimed;
    },
  };
}

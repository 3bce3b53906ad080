import type { Db } from 'mongodb';
import { DomainError, ErrorCode } from '../errors.js';
import type { Job } from '../model/job.js';
import type { Clock } from '../ports/clock.js';
import { COLLECTIONS } from '../store/collections.js';
import { filterString, isDuplicateKeyError } from '../store/documents.js';
import { newId } from '../ids.js';

/**
 * One run per mapping at a time, across every instance on the database: a lock document per mapping
 * (`_id` = the mapping's name) with its owner, start time and an expiry its holder keeps pushing out
 * (heartbeat). Acquired by an atomic insert; a lock whose holder stopped renewing it (expired) or
 * whose job has already ended is taken over with a compare-and-set on its token. Released when the
 * run ends.
 */
export interface RunLockDoc {
  _id: string;
  token: string;
  owner: string;
  startedAt: Date;
  startedBy: string;
  jobId: string | null;
  heartbeatAt: Date;
  expiresAt: Date;
}

export interface RunLease {
  /** Names the job the lock is for (the "already running" answer shows its card). */
  attach(jobId: string): Promise<void>;
  /** Stops the heartbeat and deletes the lock if it is still ours. Idempotent. */
  release(): Promise<void>;
}

export interface RunLocks {
  /** The lease, or RunInProgressError naming the run that holds the mapping. */
  acquire(mapping: string, startedBy: string): Promise<RunLease>;
}

/** Another run of the mapping is going; `job` is its job when known (for its card). */
export class RunInProgressError extends DomainError {
  override readonly name = 'RunInProgressError';
  constructor(
    readonly mapping: string,
    readonly since: Date,
    readonly startedBy: string,
    readonly job: Job | null,
  ) {
    const hhmm = since.toISOString().slice(11, 16);
    // Delete Couplings holds the same lock; before the holder's job is known it is most likely a synchronization.
    const what = job?.type ?? 'Synchronization';
    super(
      ErrorCode.AlreadyRunning,
      `${what} of ${mapping} is already running since ${hhmm} UTC, started by ${startedBy}. ` +
        'Nothing new was started; the running job is below.',
    );
  }
}

export interface RunLocksDeps {
  db: Db;
  clock: Clock;
  /** Names this instance (host name + pid). */
  owner: string;
  /** A lock not renewed for this long is taken over (LEASE_SECONDS). */
  leaseMs: number;
  jobs: { get(id: string): Promise<Job | null> };
  /** Heartbeat timers; real ones unless a test brings its own. */
  setInterval?: (fn: () => void, ms: number) => { unref?: () => void };
  clearInterval?: (handle: unknown) => void;
}

export function createRunLocks(deps: RunLocksDeps): RunLocks {
  const col = deps.db.collection<RunLockDoc>(COLLECTIONS.runLocks);
  const every = deps.setInterval ?? ((fn, ms) => setInterval(fn, ms));
  const stop = deps.clearInterval ?? ((h) => clearInterval(h as NodeJS.Timeout));

  const fresh = (mapping: string, startedBy: string): RunLockDoc => {
    const now = deps.clock.now();
    return {
      _id: mapping,
      token: newId(),
      owner: deps.owner,
      startedAt: now,
      startedBy,
      jobId: null,
      heartbeatAt: now,
      expiresAt: new Date(now.getTime() + deps.leaseMs),
    };
  };

  /** A holder that stopped renewing, or whose job has ended (it died between finishing and releasing). */
  const abandoned = async (held: RunLockDoc): Promise<boolean> => {
    if (held.expiresAt.getTime() < deps.clock.now().getTime()) return true;
    if (!held.jobId) return false;
    const job = await deps.jobs.get(held.jobId);
    return job !== null && job.status !== 'Running';
  };

  const lease = (doc: RunLockDoc): RunLease => {
    const renew = async () => {
      const now = deps.clock.now();
      await col.updateOne(
        { _id: doc._id, token: doc.token },
        { $set: { heartbeatAt: now, expiresAt: new Date(now.getTime() + deps.leaseMs) } },
      );
    };
    const timer = every(() => void renew().catch(() => undefined), Math.max(1, Math.floor(deps.leaseMs / 3)));
    timer.unref?.();
    let released = false;
    return {
      async attach(jobId) {
        await col.updateOne({ _id: doc._id, token: doc.token }, { $set: { jobId } });
      },
      async release() {
        if (released) return;
        released = true;
        stop(timer);
        await col.deleteOne({ _id: doc._id, token: doc.token });
      },
    };
  };

  return {
    async acquire(mapping, startedBy) {
      const name = filterString(mapping, 'Mapping name');
      for (let attempt = 0; attempt < 3; attempt++) {
        const doc = fresh(name, startedBy);
        try {
          await col.insertOne(doc);
          return lease(doc);
        } catch (e) {
          if (!isDuplicateKeyError(e)) throw e;
        }
        const held = await col.findOne({ _id: name });
        if (!held) continue; // released meanwhile: try the insert again
        if (await abandoned(held)) {
          const { _id, ...fields } = doc;
          const taken = await col.findOneAndUpdate(
            { _id, token: held.token },
            { $set: fields },
            { returnDocument: 'after' },
          );
          if (taken) return lease(doc);
          continue; // someone else took it over first
        }
        const job = held.jobId ? await deps.jobs.get(held.jobId) : null;
        throw new RunInProgressError(name, held.startedAt, held.startedBy, job);
      }
      throw new DomainError(
        ErrorCode.Conflict,
        `Synchronization of ${name} is being started by someone else right now; try again in a moment.`,
      );
    },
  };
}

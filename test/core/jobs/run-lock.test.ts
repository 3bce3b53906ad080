import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createJobRepository } from '../../../core/jobs/job-repository.js';
import { createRunLocks, RunInProgressError } from '../../../core/jobs/run-lock.js';
import { ensureIndexes } from '../../../core/store/indexes.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';

let t: TestDb;
let now = Date.UTC(2025, 0, 1, 10, 42, 0);
const clock = { now: () => new Date(now) };
const LEASE = 60_000;

beforeAll(async () => {
  t = await useTestDb();
});
afterAll(() => t.cleanup());
beforeEach(async () => {
  await t.db.dropDatabase();
  await ensureIndexes(t.db);
});

const instance = (owner: string) => {
  const jobs = createJobRepository({ db: t.db, clock });
  return { jobs, locks: createRunLocks({ db: t.db, clock, owner, leaseMs: LEASE, jobs }) };
};

describe('run locks (one run per mapping across instances)', () => {
  it('of two instances acquiring at once, one runs and the other is told who and since when', async () => {
    const a = instance('A');
    const b = instance('B');
    const results = await Promise.allSettled([
      a.locks.acquire('CUSTOMER', 'Ada Manager'),
      b.locks.acquire('CUSTOMER', 'Ben User'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(RunInProgressError);
    expect((refused.reason as Error).message).toMatch(
      /already running since 10:42 UTC, started by (Ada Manager|Ben User)/,
    );
    // Other mappings are independent.
    await (await b.locks.acquire('VENDOR', 'Ben User')).release();
  });

  it('a released lock is free; a lock whose job already ended (holder died before releasing) is taken over', async () => {
    const a = instance('A');
    const lease = await a.locks.acquire('CUSTOMER', 'Ada Manager');
    await lease.release();
    const again = await a.locks.acquire('CUSTOMER', 'Ada Manager');
    const job = await a.jobs.start({
      mapping: 'CUSTOMER',
      type: 'Synchronization',
      direction: '',
      startedBy: 'Ada Manager',
    });
    await again.attach(job);
    await expect(instance('B').locks.acquire('CUSTOMER', 'Ben User')).rejects.toMatchObject({
      job: { id: job },
    });
    await a.jobs.finish(job, 'Finished', 'done'); // …and A died before release()
    const taken = await instance('B').locks.acquire('CUSTOMER', 'Ben User');
    // A's late release cannot delete B's lock.
    await again.release();
    await expect(instance('C').locks.acquire('CUSTOMER', 'Carol')).rejects.toThrow(/started by Ben User/);
    await taken.release();
  });

  it('a lock not renewed for a lease is taken over; a renewed one is not', async () => {
    const timers: Array<() => void> = [];
    const a = createRunLocks({
      db: t.db,
      clock,
      owner: 'A',
      leaseMs: LEASE,
      jobs: createJobRepository({ db: t.db, clock }),
      setInterval: (fn) => (timers.push(fn), {}),
      clearInterval: () => undefined,
    });
    await a.acquire('CUSTOMER', 'Ada Manager');
    now += LEASE - 1_000;
    timers.forEach((beat) => beat()); // A is alive: heartbeat
    await new Promise((r) => setTimeout(r, 50));
    now += LEASE - 1_000;
    await expect(instance('B').locks.acquire('CUSTOMER', 'Ben User')).rejects.toThrow(RunInProgressError);
    now += 2_000; // no heartbeat since: A is gone
    await (await instance('B').locks.acquire('CUSTOMER', 'Ben User')).release();
  });
});

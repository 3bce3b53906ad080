import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import { createJobRepository, INTERRUPTED_MESSAGE } from '../../../core/jobs/job-repository.js';
import { emptyCounters } from '../../../core/model/job.js';
import { ensureIndexes } from '../../../core/store/indexes.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';

let t: TestDb;
let now = Date.UTC(2025, 0, 1, 8, 0, 0);

/** One small factory: a repository on a fresh database with a clock the test moves. */
async function repository() {
  const db = t.db;
  // Each test starts empty; dropping the suite's own database also leaves nothing behind on real MongoDB.
  await db.dropDatabase();
  await ensureIndexes(db);
  return { jobs: createJobRepository({ db, clock: { now: () => new Date(now) } }), db };
}
const minutes = (m: number) => (now += m * 60_000);
const sync = (mapping = 'CUSTOMER') => ({
  mapping,
  type: 'Synchronization' as const,
  direction: 'Bidirectional',
  startedBy: 'Alice',
});

beforeAll(async () => {
  t = await useTestDb();
});
afterAll(async () => {
  await t.cleanup();
});

describe('job repository', () => {
  let r: Awaited<ReturnType<typeof repository>>;
  beforeEach(async () => {
    r = await repository();
  });

  it('starts a Running job with zero counters and no total yet', async () => {
    const id = await r.jobs.start(sync());
    expect(await r.jobs.get(id)).toEqual({
      id,
      mapping: 'CUSTOMER',
      type: 'Synchronization',
      direction: 'Bidirectional',
      status: 'Running',
      startedAt: new Date(now),
      finishedAt: null,
      startedBy: 'Alice',
      startedById: '',
      counters: emptyCounters(),
      message: '',
      cancelRequest: null,
      undone: null,
      total: null,
    });
  });

  it('records the total a running job expects; an ended job keeps its own; a bad total is refused', async () => {
    const id = await r.jobs.start(sync());
    await r.jobs.setTotal(id, 10_000);
    expect((await r.jobs.get(id))?.total).toBe(10_000);
    await r.jobs.finish(id, 'Finished', 'done');
    await r.jobs.setTotal(id, 5);
    expect((await r.jobs.get(id))?.total).toBe(10_000);
    await expect(r.jobs.setTotal(id, -1)).rejects.toThrow(/whole number ≥ 0/);
    await expect(r.jobs.setTotal(id, 1.5)).rejects.toThrow(/whole number ≥ 0/);
  });

  it('adds counters atomically, also from concurrent writers', async () => {
    const id = await r.jobs.start(sync());
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        r.jobs.incrementCounters(id, { modified: 1, failed: i % 2, unchanged: 3 }),
      ),
    );
    expect((await r.jobs.get(id))?.counters).toEqual({
      ...emptyCounters(),
      modified: 20,
      failed: 10,
      unchanged: 60,
    });
  });

  it.each([
    [{ modified: -1 }, /must grow by a whole number/],
    [{ modified: 1.5 }, /must grow by a whole number/],
    [{ $set: 1 }, /Unknown job counter "\$set"/],
    [{ 'counters.modified': 1 }, /Unknown job counter/],
  ])('refuses the counter change %j and changes nothing', async (counters, message) => {
    const id = await r.jobs.start(sync());
    const e = await r.jobs.incrementCounters(id, counters as never).catch((x: unknown) => x);
    expect((e as DomainError).code).toBe(ErrorCode.InvalidInput);
    expect((e as DomainError).message).toMatch(message);
    expect((await r.jobs.get(id))?.counters).toEqual(emptyCounters());
  });

  it('finishes a running job once; a second finish and later counters are refused', async () => {
    const id = await r.jobs.start(sync());
    minutes(2);
    expect(await r.jobs.finish(id, 'Finished', 'Modified 3 records.')).toBe(true);
    expect(await r.jobs.finish(id, 'Failed', 'too late')).toBe(false);
    expect(await r.jobs.incrementCounters(id, { modified: 1 })).toBe(false);
    const job = await r.jobs.get(id);
    expect([job?.status, job?.message, job?.finishedAt, job?.counters.modified]).toEqual([
      'Finished',
      'Modified 3 records.',
      new Date(now),
      0,
    ]);
  });

  it('refuses to finish a job as Running', async () => {
    const id = await r.jobs.start(sync());
    await expect(r.jobs.finish(id, 'Running' as never, '')).rejects.toThrow(DomainError);
  });

  it('lists recent jobs newest first, by mapping and type, within the limit', async () => {
    const ids: string[] = [];
    for (const mapping of ['CUSTOMER', 'VENDOR', 'CUSTOMER', 'CUSTOMER']) {
      minutes(1);
      ids.push(await r.jobs.start(sync(mapping)));
    }
    minutes(1);
    const uncoupling = await r.jobs.start({ ...sync(), type: 'Uncoupling', direction: '' });
    expect((await r.jobs.listRecent()).map((j) => j.id)).toEqual([uncoupling, ...[...ids].reverse()]);
    expect((await r.jobs.listRecent({ mapping: 'CUSTOMER', limit: 2 })).map((j) => j.id)).toEqual([
      uncoupling,
      ids[3],
    ]);
    expect((await r.jobs.listRecent({ type: 'Uncoupling' })).map((j) => j.id)).toEqual([uncoupling]);
    expect(await r.jobs.listRecent({ mapping: 'ITEM-PRODUCT' })).toEqual([]);
  });

  it('an id that is not plain text never reaches a filter', async () => {
    await r.jobs.start(sync());
    const e = await r.jobs.get({ $ne: null } as unknown as string).catch((x: unknown) => x);
    expect((e as DomainError).code).toBe(ErrorCode.InvalidInput);
    expect(await r.jobs.get('no-such-job')).toBeNull();
  });

  it('at start-up marks every job a crashed process left Running as Interrupted, saying it can be re-run', async () => {
    const running = await r.jobs.start(sync());
    const done = await r.jobs.start(sync('VENDOR'));
    await r.jobs.incrementCounters(running, { modified: 4 });
    await r.jobs.finish(done, 'Finished', 'ok');
    expect(await r.jobs.markInterrupted()).toBe(1);
    const job = await r.jobs.get(running);
    expect([job?.status, job?.message, job?.counters.modified]).toEqual([
      'Interrupted',
      INTERRUPTED_MESSAGE,
      4,
    ]);
    expect(job?.message).toMatch(/run it again/i);
    expect((await r.jobs.get(done))?.status).toBe('Finished');
  });

  it('with olderThan, leaves alone a job that still makes progress (another instance’s)', async () => {
    const stale = await r.jobs.start(sync());
    const live = await r.jobs.start(sync('VENDOR'));
    minutes(30);
    await r.jobs.incrementCounters(live, { unchanged: 1 });
    minutes(1);
    expect(await r.jobs.markInterrupted({ olderThan: new Date(now - 10 * 60_000) })).toBe(1);
    expect((await r.jobs.get(stale))?.status).toBe('Interrupted');
    expect((await r.jobs.get(live))?.status).toBe('Running');
  });

  it('hands each interrupted job’s alert to exactly one of several callers, once', async () => {
    const stalled = await r.jobs.start(sync());
    const finished = await r.jobs.start(sync('VENDOR'));
    await r.jobs.finish(finished, 'Failed', 'x');
    minutes(10);
    expect(await r.jobs.markInterrupted({ olderThan: new Date(now - 5 * 60_000) })).toBe(1);
    // Two instances (two repositories) claim at the same moment.
    const other = createJobRepository({ db: r.db, clock: { now: () => new Date(now) } });
    const [a, b] = await Promise.all([r.jobs.claimStallAlerts(), other.claimStallAlerts()]);
    expect([...a, ...b].map((j) => j.id)).toEqual([stalled]);
    expect(await r.jobs.claimStallAlerts()).toEqual([]);
    expect(await other.claimStallAlerts()).toEqual([]);
  });
});

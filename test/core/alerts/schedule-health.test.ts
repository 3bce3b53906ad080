import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDigestClaim, DIGEST_LIMIT } from '../../../core/alerts/recurring-digest.js';
import { alertsOnItsOwn, createScheduleHealth } from '../../../core/alerts/schedule-health.js';
import type { Job } from '../../../core/model/job.js';
import { ensureIndexes } from '../../../core/store/indexes.js';
import { SyncErrorRepository } from '../../../core/sync/sync-error-repository.js';
import { FakeClock } from '../../kit/clock.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';

/** Two instances: two clients on the same database, each with its own health and digest claim. */
let t: TestDb;
let other: MongoClient;
const clock = FakeClock.at(Date.UTC(2025, 0, 1, 8));
const instances = () =>
  [t.db, other.db(t.db.databaseName)].map((db) => ({
    health: createScheduleHealth({ db, clock, intervalMinutes: 30 }),
    digest: createDigestClaim({ db, clock, errors: new SyncErrorRepository(db, clock.now) }),
  }));
beforeAll(async () => {
  t = await useTestDb();
  await ensureIndexes(t.db);
  other = await new MongoClient(t.uri).connect();
});
afterAll(async () => {
  await other.close();
  await t.cleanup();
});
beforeEach(async () => {
  for (const c of ['scheduleHealth', 'digests', 'syncErrors']) await t.db.collection(c).deleteMany({});
  clock.reset();
});

const job = (status: Job['status'], message = 'Nothing to synchronize.'): Job =>
  ({
    id: 'j',
    mapping: 'CUSTOMER',
    type: 'Synchronization',
    status,
    message,
    finishedAt: clock.now(),
  }) as Job;

describe('stalled schedules', () => {
  it('no completed run for three intervals: one of two instances claims it, once, until it recovers', async () => {
    const [a, b] = instances();
    const since = clock.now();
    await a!.health.recordRun(job('Finished'));
    clock.advanceMinutes(89);
    expect(await a!.health.claimStalls(['CUSTOMER'], since)).toEqual([]);
    await a!.health.recordRun(job('Failed', 'Dataverse answered 503.'));
    clock.advanceMinutes(1);
    const both = await Promise.all([
      a!.health.claimStalls(['CUSTOMER'], since),
      b!.health.claimStalls(['CUSTOMER'], since),
    ]);
    expect(both.flat()).toEqual([
      expect.objectContaining({
        mapping: 'CUSTOMER',
        lastError: 'Dataverse answered 503.',
        stalledSince: since,
      }),
    ]);
    clock.advanceHours(5);
    expect(await a!.health.claimStalls(['CUSTOMER'], since)).toEqual([]);
    const back = await b!.health.recordRun(job('Finished'));
    expect(back.recovered).toMatchObject({ mapping: 'CUSTOMER', stalledSince: since });
    expect((await a!.health.recordRun(job('Finished'))).recovered).toBeNull();
  });

  it('time before this instance started is not a stall (the bot was down, not the schedule)', async () => {
    const [a] = instances();
    await a!.health.recordRun(job('Finished'));
    clock.advanceHours(24);
    expect(await a!.health.claimStalls(['CUSTOMER'], clock.now())).toEqual([]);
  });

  it('a job that stopped making progress stalls its mapping at once (told by the Interrupted alert)', async () => {
    const [a, b] = instances();
    expect(await a!.health.markStalled('CUSTOMER', 'Interrupted')).toBe(true);
    expect(await b!.health.markStalled('CUSTOMER', 'Interrupted')).toBe(false);
    expect(await b!.health.claimStalls(['CUSTOMER'], new Date(0))).toEqual([]);
    expect((await a!.health.recordRun(job('Finished'))).recovered).not.toBeNull();
  });

  it('a failed run alerts on its own only when it is the first failure in a row; new errors always', () => {
    expect(alertsOnItsOwn(job('Failed'), 0, 1)).toBe(true);
    expect(alertsOnItsOwn(job('Failed'), 0, 2)).toBe(false);
    expect(alertsOnItsOwn(job('Finished'), 0, 0)).toBe(false);
    expect(alertsOnItsOwn(job('Finished'), 2, 0)).toBe(true);
  });
});

describe('the daily digest of recurring errors', () => {
  const loop = async (bcId: string) => {
    const repo = new SyncErrorRepository(t.db, clock.now);
    for (const jobId of ['r1', 'r2', 'r3']) {
      await repo.recordMany([
        {
          mapping: 'CUSTOMER',
          bcId,
          bcNumber: bcId,
          dvId: null,
          kind: 'failure',
          message: 'Too long.',
          jobId,
        },
      ]);
    }
  };

  it('nothing recurring: no digest, and the day is not used up', async () => {
    const [a] = instances();
    expect(await a!.digest()).toBeNull();
    await loop('10000');
    expect(await a!.digest()).toMatchObject({ total: 1, newSinceLast: 1, day: '2025-01-01' });
  });

  it('two instances, two looks the same day: one digest; the next day another, with what is new', async () => {
    const [a, b] = instances();
    await loop('10000');
    const first = (await Promise.all([a!.digest(), b!.digest(), a!.digest()])).filter(Boolean);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ total: 1, perMapping: [{ mapping: 'CUSTOMER', count: 1 }] });
    clock.advanceHours(1);
    await loop('20000');
    expect(await b!.digest()).toBeNull();
    clock.advanceHours(23);
    expect(await b!.digest()).toMatchObject({ day: '2025-01-02', total: 2, newSinceLast: 1 });
  });

  it('lists at most DIGEST_LIMIT records, with the total and the count per mapping', async () => {
    const [a] = instances();
    for (let i = 0; i < DIGEST_LIMIT + 2; i++) await loop(`${10000 + i}`);
    const digest = await a!.digest();
    expect(digest?.errors).toHaveLength(DIGEST_LIMIT);
    expect(digest).toMatchObject({
      total: DIGEST_LIMIT + 2,
      perMapping: [{ mapping: 'CUSTOMER', count: 22 }],
    });
  });
});

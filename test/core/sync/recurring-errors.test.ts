import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureIndexes } from '../../../core/store/indexes.js';
import { failureSignature, nextStreak } from '../../../core/sync/recurring.js';
import { SyncErrorRepository, type SyncErrorInput } from '../../../core/sync/sync-error-repository.js';
import { FakeClock } from '../../kit/clock.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';

let t: TestDb;
const clock = FakeClock.at();
let repo: SyncErrorRepository;
beforeAll(async () => {
  t = await useTestDb();
  await ensureIndexes(t.db);
  repo = new SyncErrorRepository(t.db, clock.now);
});
afterAll(() => t.cleanup());
beforeEach(async () => {
  await t.db.collection('syncErrors').deleteMany({});
});

const fails = (jobId: string, message = 'Name is longer than 100 characters.'): SyncErrorInput => ({
  mapping: 'CUSTOMER',
  bcId: 'bc-10000',
  bcNumber: '10000',
  dvId: 'dv-1',
  kind: 'failure',
  message,
  jobId,
});

/** One run per element: the record fails with that message (the clock moves an interval each time). */
let run = 0;
async function runs(...messages: string[]): Promise<void> {
  for (const message of messages) {
    await repo.recordMany([fails(`job-${(run += 1)}`, message)]);
    clock.advanceMinutes(30);
  }
}

describe('records that fail the same way run after run', () => {
  it('are recurring from the third run in a row, with the count, first and last seen', async () => {
    const first = clock.now();
    await runs('Name is too long.', 'Name is too long.');
    expect(await repo.countOpen('CUSTOMER', { recurring: true })).toBe(0);
    await runs('Name is too long.');
    const [e] = await repo.listOpen({ recurring: true });
    expect(e).toMatchObject({ streak: 3, occurrences: 3, at: first, bcNumber: '10000' });
    expect(e?.recurringSince).toEqual(e?.lastSeenAt);
    await runs('Name is too long.');
    const [again] = await repo.listOpen({ mapping: 'CUSTOMER', recurring: true });
    expect(again).toMatchObject({ streak: 4, occurrences: 4, recurringSince: e?.recurringSince });
  });

  it('a different failure starts the count again; ids and numbers in the message do not', async () => {
    await runs('HTTP 503 after 12 s', 'HTTP 503 after 9 s', 'Phone No. is not valid.');
    expect((await repo.listOpen())[0]).toMatchObject({ streak: 1, recurringSince: null, occurrences: 3 });
    expect(failureSignature('failure', 'row 8f4c2a61-3b7e-4d09-9c15-2e6a7b1d5f30 after 12 s')).toBe(
      failureSignature('failure', 'row 11111111-3b7e-4d09-9c15-2e6a7b1d5f30 after 9 s'),
    );
  });

  it('the same run seen twice counts once, and a clean synchronization ends the streak', async () => {
    await repo.recordMany([fails('job-a')]);
    await repo.recordMany([fails('job-a')]);
    await repo.recordMany([fails('job-b')]);
    expect((await repo.listOpen())[0]?.streak).toBe(2);
    await repo.resolveFor('CUSTOMER', ['bc-10000'], 'Scheduled synchronization', 'Synchronized');
    await repo.recordMany([fails('job-c')]);
    expect((await repo.listOpen())[0]).toMatchObject({ streak: 1, occurrences: 1 });
  });

  it('a record changed on both sides counts its runs itself, and is not a new error to alert on', async () => {
    const pingPong = { ...fails('job-p'), kind: 'pingPong' as const, runs: 3 };
    expect(await repo.recordMany([pingPong, { ...fails('job-p'), bcId: 'bc-20000' }])).toBe(1);
    const [e] = await repo.listOpen({ recurring: true });
    expect(e).toMatchObject({ kind: 'pingPong', streak: 3, bcId: 'bc-10000' });
  });

  it('the streak rule, as a table', () => {
    const at = new Date(0);
    const before = {
      signature: failureSignature('failure', 'x'),
      streak: 2,
      jobId: 'j1',
      recurringSince: null,
    };
    expect(nextStreak(before, { kind: 'failure', message: 'x', jobId: 'j2' }, at)).toEqual({
      signature: 'failure:x',
      streak: 3,
      recurringSince: at,
    });
    expect(nextStreak(before, { kind: 'conflict', message: 'x', jobId: 'j2' }, at).streak).toBe(1);
    expect(nextStreak(before, { kind: 'failure', message: 'x', jobId: 'j1' }, at).streak).toBe(2);
    expect(nextStreak(undefined, { kind: 'failure', message: 'x', jobId: null }, at).streak).toBe(1);
  });
});

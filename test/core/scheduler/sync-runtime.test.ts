import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyncRuntime, STALE_JOB_MS } from '../../../core/scheduler/sync-runtime.js';
import { createJobRepository } from '../../../core/jobs/job-repository.js';
import { ensureIndexes } from '../../../core/store/indexes.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';
import { captureLogs } from '../../bot/log-capture.js';

let db: TestDb;
beforeAll(async () => {
  db = await useTestDb();
  await ensureIndexes(db.db);
});
afterAll(() => db.cleanup());

const clockAt = (ms: number) => ({ now: () => new Date(ms) });

describe('the synchronization runtime', () => {
  it('at start-up marks jobs without progress for a while as Interrupted, and leaves live ones alone', async () => {
    const t0 = Date.UTC(2025, 0, 1, 8);
    const jobs = createJobRepository({ db: db.db, clock: clockAt(t0) });
    const stale = await jobs.start({
      mapping: 'CUSTOMER',
      type: 'Synchronization',
      direction: '',
      startedBy: 'x',
    });
    const later = createJobRepository({ db: db.db, clock: clockAt(t0 + STALE_JOB_MS + 60_000) });
    const live = await later.start({
      mapping: 'VENDOR',
      type: 'Synchronization',
      direction: '',
      startedBy: 'x',
    });
    const runtime = createSyncRuntime({
      db: db.db,
      clock: clockAt(t0 + STALE_JOB_MS + 60_000),
      intervalMinutes: 0,
      instanceId: 'test',
      sync: {
        synchronizeModified: () => Promise.reject(new Error('not scheduled')),
        recoverInterrupted: (o) => later.markInterrupted(o),
      },
      mappings: { list: async () => [] },
      onRunFinished: async () => undefined,
      logger: captureLogs().logger,
    });
    await runtime.start();
    await runtime.stop();
    expect((await jobs.get(stale))?.status).toBe('Interrupted');
    expect((await jobs.get(live))?.status).toBe('Running');
  });

  it('stop() returns after its timeout when a scheduled run hangs, and says so', async () => {
    const logs = captureLogs();
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const runtime = createSyncRuntime({
      db: db.db,
      clock: { now: () => new Date() },
      intervalMinutes: 30,
      instanceId: 'hanging',
      sync: {
        synchronizeModified: () => {
          started();
          return new Promise<never>(() => undefined);
        },
        recoverInterrupted: async () => 0,
      },
      mappings: { list: async () => [{ name: `HANG-${Date.now()}` }] },
      onRunFinished: async () => undefined,
      logger: logs.logger,
    });
    await runtime.start();
    await running;
    await runtime.stop(50);
    expect(logs.lines().some((l) => String(l['msg']).includes('still going at shutdown'))).toBe(true);
  });

  it('a failing look for stalled schedules and recurring errors is logged; it never stops the runtime', async () => {
    const logs = captureLogs();
    const runtime = createSyncRuntime({
      db: db.db,
      clock: { now: () => new Date() },
      intervalMinutes: 0,
      instanceId: 'watching',
      sync: {
        synchronizeModified: () => Promise.reject(new Error('not scheduled')),
        recoverInterrupted: async () => 0,
      },
      mappings: { list: async () => [] },
      onRunFinished: async () => undefined,
      logger: logs.logger,
      watch: () => Promise.reject(new Error('store unavailable')),
    });
    await runtime.start();
    await expect(runtime.watch()).resolves.toBeUndefined();
    await runtime.stop();
    const failed = logs
      .lines()
      .filter((l) => l['msg'] === 'looking for stalled schedules and recurring errors failed');
    expect(failed).toHaveLength(2); // at start, and the look asked for
  });
});

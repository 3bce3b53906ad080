import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fields } from '../../../core/model/record.js';
import type { DataversePort } from '../../../core/ports/dataverse.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';
import { USER, world, type World } from './world.js';

let t: TestDb;
beforeAll(async () => {
  t = await useTestDb();
});
afterAll(async () => t.cleanup());

/**
 * A Dataverse that goes down after `limit` writes: the write in flight is cut short after the part
 * that fits, then the call throws ("connection reset") or never answers (the process dies with it).
 */
class FlakyDataverse {
  writes = 0;
  limit = Infinity;
  failure: 'throw' | 'hang' = 'throw';

  wrap(dv: DataversePort): DataversePort {
    return new Proxy(dv, {
      get: (target, prop, receiver) => {
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (prop !== 'updateMany') return typeof v === 'function' ? v.bind(target) : v;
        return async (
          table: Parameters<DataversePort['updateMany']>[0],
          updates: Array<{ id: string; fields: Fields }>,
        ) => {
          const room = Math.max(0, this.limit - this.writes);
          if (updates.length <= room) {
            this.writes += updates.length;
            return target.updateMany(table, updates);
          }
          await target.updateMany(table, updates.slice(0, room));
          this.writes += room;
          if (this.failure === 'hang') return new Promise(() => undefined);
          throw new Error('connection reset by peer');
        };
      },
    });
  }
}

async function tenChanged(): Promise<{ w: World; flaky: FlakyDataverse; dvIds: string[] }> {
  const flaky = new FlakyDataverse();
  const w = await world(t.db, { batchSize: 4, wrap: ({ bc, dv }) => ({ bc, dv: flaky.wrap(dv) }) });
  const dvIds: string[] = [];
  for (let i = 1; i <= 10; i++) {
    const p = await w.coupledPair(String(10000 + i));
    await w.editBc(p.bc.id, { 'Phone No.': `new-${i}` });
    dvIds.push(p.dv.id);
  }
  return { w, flaky, dvIds };
}

/** Every account received its new phone exactly once: one write after creation (etag 1 → 2). */
async function expectAppliedOnce(dvIds: string[]): Promise<void> {
  const docs = await t.db
    .collection('dv.account')
    .find({ _id: { $in: dvIds } as never })
    .toArray();
  expect(docs.map((d) => d['etag'])).toEqual(dvIds.map(() => '2'));
  expect(docs.map((d) => (d['fields'] as Fields)['telephone1']).sort()).toEqual(
    Array.from({ length: 10 }, (_, i) => `new-${i + 1}`).sort(),
  );
}

describe('a job cut short by a failing connector', () => {
  it('is Failed with the reason, keeps what it did, and a re-run finishes the rest without applying anything twice', async () => {
    const { w, flaky, dvIds } = await tenChanged();
    flaky.limit = 6;
    const crashed = await w.sync.synchronizeModified(USER, 'CUSTOMER');
    expect(crashed.job.status).toBe('Failed');
    expect(crashed.job.message).toMatch(
      /^The job stopped: an unexpected error \(see the log\)\. Records synchronized before/,
    );
    expect(crashed.job.counters.modified).toBe(4);
    const marks = await w.mappings.get('CUSTOMER');
    expect(marks.lastSyncedBcModifiedOn).toBeNull();

    flaky.limit = Infinity;
    const rerun = await w.sync.synchronizeModified(USER, 'CUSTOMER');
    expect(rerun.job.status).toBe('Finished');
    // 4 finished before the failure (not examined again), 2 written but not yet recorded (found equal), 4 left.
    expect(rerun.job.counters).toMatchObject({ modified: 4, unchanged: 2, failed: 0, skipped: 0 });
    await expectAppliedOnce(dvIds);
  });
});

describe('a job whose process died', () => {
  it('is marked Interrupted at start-up and a re-run completes it exactly once', async () => {
    const { w, flaky, dvIds } = await tenChanged();
    flaky.limit = 6;
    flaky.failure = 'hang';
    void w.sync.synchronizeModified(USER, 'CUSTOMER');
    await until(async () => flaky.writes === 6 && (await w.jobs.listRecent())[0]?.counters.modified === 4);

    // "Restart": the new process marks what the dead one left Running.
    expect(await w.sync.recoverInterrupted()).toBe(1);
    const [dead] = await w.jobs.listRecent();
    expect(dead).toMatchObject({ status: 'Interrupted', counters: { modified: 4 } });

    flaky.limit = Infinity;
    const rerun = await w.sync.synchronizeModified(USER, 'CUSTOMER');
    expect(rerun.job.counters).toMatchObject({ modified: 4, unchanged: 2 });
    await expectAppliedOnce(dvIds);
    expect(nothingLeft(await w.sync.synchronizeModified(USER, 'CUSTOMER'))).toBe(true);
  });
});

const nothingLeft = (r: { job: { counters: Record<string, number> } }) =>
  Object.values(r.job.counters).every((v) => v === 0);

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not reached');
}

import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LeaseScheduler, SlotDoc, Timers } from '../../../core/scheduler/lease-scheduler.js';
import { createSyncScheduler, SCHEDULER_ACTOR } from '../../../core/scheduler/sync-scheduler.js';
import type { Job } from '../../../core/model/job.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';
import { world, type World } from '../sync/world.js';

let t: TestDb;
let w: World;
beforeAll(async () => {
  t = await useTestDb();
});
afterAll(async () => t.cleanup());
beforeEach(async () => {
  w = await world(t.db);
});

const MAPPINGS = [
  'CUSTOMER',
  'VENDOR',
  'CONTACT',
  'ITEM-PRODUCT',
  'RESOURCE-PRODUCT',
  'SALESPEOPLE',
  'CURRENCY',
];

/** Timers the test fires by hand; it can see what is still pending. */
class ManualTimers implements Timers {
  pending = new Map<number, { fn: () => void; ms: number }>();
  private next = 1;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { fn, ms });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  fire(): void {
    const [first] = this.pending.entries();
    if (!first) throw new Error('no timer pending');
    this.pending.delete(first[0]);
    first[1].fn();
  }
}

function instance(
  id: string,
  finished: Array<[string, Job, number]>,
  intervalMinutes = 30,
  timers?: Timers,
  db: Db = t.db,
): LeaseScheduler {
  return createSyncScheduler({
    db,
    clock: w.clock,
    intervalMinutes,
    instanceId: id,
    sync: w.sync,
    mappings: w.mappings,
    onRunFinished: (job, errors) => void finished.push([id, job, errors]),
    ...(timers ? { timers } : {}),
  });
}

describe('scheduled synchronization across instances', () => {
  it("runs the mappings in BC's dependency order: salespeople and currencies, then customers and vendors, then contacts", async () => {
    const finished: Array<[string, Job, number]> = [];
    const ran = await instance('A', finished).tick();
    const at = (name: string) => ran.indexOf(name);
    expect(ran).toHaveLength(MAPPINGS.length);
    for (const first of ['SALESPEOPLE', 'CURRENCY']) {
      expect(at(first)).toBeLessThan(at('CUSTOMER'));
      expect(at(first)).toBeLessThan(at('VENDOR'));
    }
    expect(at('CUSTOMER')).toBeLessThan(at('CONTACT'));
    expect(at('VENDOR')).toBeLessThan(at('CONTACT'));
    expect(finished.map(([, job]) => job.mapping)).toEqual(ran);
  });

  it('runs each mapping exactly once per interval, whichever instance wins', async () => {
    const finished: Array<[string, Job, number]> = [];
    // Instance B has its own connection, as a second bot process would.
    const other = await new MongoClient(t.uri).connect();
    const a = instance('A', finished);
    const b = instance('B', finished, 30, undefined, other.db(t.db.databaseName));

    const [ranA, ranB] = await Promise.all([a.tick(), b.tick()]);
    expect([...ranA, ...ranB].sort()).toEqual([...MAPPINGS].sort());
    expect((await w.jobs.listRecent({ limit: 100 })).map((j) => j.mapping).sort()).toEqual(
      [...MAPPINGS].sort(),
    );
    expect(finished).toHaveLength(MAPPINGS.length);
    expect(
      finished.every(([, job]) => job.startedBy === SCHEDULER_ACTOR.name && job.status === 'Finished'),
    ).toBe(true);

    w.clock.advanceMinutes(10);
    expect([...(await a.tick()), ...(await b.tick())]).toEqual([]);

    w.clock.advanceMinutes(20);
    const [nextA, nextB] = await Promise.all([b.tick(), a.tick()]);
    expect([...nextA, ...nextB]).toHaveLength(MAPPINGS.length);
    expect(await w.jobs.listRecent({ limit: 100 })).toHaveLength(2 * MAPPINGS.length);
    const slots = await t.db
      .collection<SlotDoc>('leases')
      .find({ mapping: 'CUSTOMER' })
      .sort({ slotStart: 1 })
      .toArray();
    expect(slots.map((s) => [s._id, s.status])).toEqual([
      ['CUSTOMER:2025-01-01T08:00:00.000Z', 'finished'],
      ['CUSTOMER:2025-01-01T08:30:00.000Z', 'finished'],
    ]);
    await other.close();
  });

  it('tells managers about new errors once, not on every run', async () => {
    const p = await w.coupledPair('10000');
    await w.editBc(p.bc.id, { 'Phone No.': '555' });
    await w.editDv(p.dv.id, { telephone1: '777' });
    const finished: Array<[string, Job, number]> = [];
    const a = instance('A', finished);
    await a.tick();
    const customer = () =>
      finished.filter(([, j]) => j.mapping === 'CUSTOMER').map(([, j, n]) => [j.counters.skipped, n]);
    expect(customer()).toEqual([[1, 1]]);
    w.clock.advanceMinutes(30);
    await w.editBc(p.bc.id, { 'Phone No.': '556' });
    await a.tick();
    expect(customer()).toEqual([
      [1, 1],
      [1, 0],
    ]);
  });

  it('skips an interval while the previous run of that mapping is still going', async () => {
    const a = instance('A', []);
    await t.db.collection<SlotDoc>('leases').insertOne({
      _id: 'CUSTOMER:2025-01-01T07:30:00.000Z',
      mapping: 'CUSTOMER',
      slotStart: new Date('2025-01-01T07:30:00.000Z'),
      owner: 'B',
      claimedAt: new Date('2025-01-01T07:30:01.000Z'),
      status: 'running',
      finishedAt: null,
      jobId: null,
      note: null,
    });
    expect(await a.tick()).not.toContain('CUSTOMER');
    const slot = await t.db
      .collection<SlotDoc>('leases')
      .findOne({ _id: 'CUSTOMER:2025-01-01T08:00:00.000Z' });
    expect(slot).toMatchObject({ status: 'skipped', note: 'the previous run was still going' });
  });
});

describe('the scheduler timer', () => {
  it('runs at start, then at each interval boundary, and leaves no timer after stop', async () => {
    const timers = new ManualTimers();
    const finished: Array<[string, Job, number]> = [];
    w.clock.advanceMinutes(7);
    const s = instance('A', finished, 30, timers);
    s.start();
    expect([...timers.pending.values()].map((p) => p.ms)).toEqual([0]);
    timers.fire();
    await until(() => timers.pending.size === 1);
    expect(finished).toHaveLength(MAPPINGS.length);
    // 08:07 → next boundary 08:30, plus a second so every instance agrees which interval it is.
    expect([...timers.pending.values()].map((p) => p.ms)).toEqual([23 * 60_000 + 1000]);
    await s.stop();
    expect(timers.pending.size).toBe(0);
  });

  it('is off with an interval of 0', async () => {
    const timers = new ManualTimers();
    const s = instance('A', [], 0, timers);
    s.start();
    expect(timers.pending.size).toBe(0);
    expect(await s.tick()).toEqual([]);
    expect(await w.jobs.listRecent()).toEqual([]);
  });
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!check()) throw new Error('condition not reached');
}

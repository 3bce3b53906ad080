import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LeaseScheduler, type SlotDoc, type Timers } from '../../../core/scheduler/lease-scheduler.js';
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
      // Renewed a moment ago: its instance is alive.
      expiresAt: new Date('2025-01-01T08:00:30.000Z'),
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

  it('does not skip for an earlier run whose instance stopped renewing it', async () => {
    const a = instance('A', []);
    await t.db.collection<SlotDoc>('leases').insertOne({
      _id: 'CUSTOMER:2025-01-01T07:30:00.000Z',
      mapping: 'CUSTOMER',
      slotStart: new Date('2025-01-01T07:30:00.000Z'),
      owner: 'B',
      claimedAt: new Date('2025-01-01T07:30:01.000Z'),
      expiresAt: new Date('2025-01-01T07:31:01.000Z'),
      status: 'running',
      finishedAt: null,
      jobId: null,
      note: null,
    });
    expect(await a.tick()).toContain('CUSTOMER');
  });
});

describe('a slot held by an instance that died', () => {
  const LEASE_MS = 60_000;

  /** Heartbeats the test fires by hand (a dead instance's never fire). */
  class ManualHeartbeat {
    beats = new Map<number, () => void>();
    private next = 1;
    setInterval(fn: () => void): unknown {
      const id = this.next++;
      this.beats.set(id, fn);
      return id;
    }
    clearInterval(h: unknown): void {
      this.beats.delete(h as number);
    }
    beat(): void {
      for (const fn of this.beats.values()) fn();
    }
  }

  function scheduler(
    id: string,
    run: (mapping: string) => Promise<{ job: Job; newErrors: number }>,
    extra = {},
  ) {
    return new LeaseScheduler({
      db: t.db,
      clock: w.clock,
      intervalMinutes: 30,
      instanceId: id,
      mappings: async () => ['CUSTOMER'],
      run,
      leaseMs: LEASE_MS,
      ...extra,
    });
  }

  it('is taken over within two lease periods of its last renewal, and every instance looks that often', async () => {
    const heartbeat = new ManualHeartbeat();
    let started!: () => void;
    const claimed = new Promise<void>((r) => (started = r));
    // A claims the slot and its run never ends: the process died mid-run.
    const a = scheduler(
      'A',
      () => {
        started();
        return new Promise(() => undefined);
      },
      { heartbeat },
    );
    void a.tick();
    await claimed;

    const ranByB: string[] = [];
    const timers = new ManualTimers();
    const b = scheduler(
      'B',
      async (mapping) => {
        ranByB.push(mapping);
        return { job: (await w.sync.synchronizeModified(SCHEDULER_ACTOR, mapping)).job, newErrors: 0 };
      },
      { timers },
    );
    const slot = () =>
      t.db.collection<SlotDoc>('leases').findOne({ _id: 'CUSTOMER:2025-01-01T08:00:00.000Z' });

    const seconds = (n: number) => w.clock.advanceMinutes(n / 60);
    // While A was alive it renewed the slot (at 50 s): B leaves it alone.
    seconds(50);
    heartbeat.beat();
    await new Promise((r) => setTimeout(r, 50));
    seconds(50);
    expect(await b.tick()).toEqual([]);

    // A dies: no more heartbeats. Just under a lease after its last renewal the slot is still A's…
    seconds(9); // 109 s = 50 s + LEASE − 1 s
    expect(await b.tick()).toEqual([]);
    expect((await slot())?.owner).toBe('A');

    // …and B looks again at least once a lease period.
    b.start();
    timers.fire();
    await until(() => timers.pending.size === 1);
    expect([...timers.pending.values()][0]!.ms).toBeLessThanOrEqual(LEASE_MS);

    // The next look, within two lease periods of A's last renewal, takes it over and runs it.
    seconds(61); // 170 s = 50 s + 2 × LEASE
    expect(await b.tick()).toEqual(['CUSTOMER']);
    expect(ranByB).toEqual(['CUSTOMER']);
    expect(await slot()).toMatchObject({ owner: 'B', status: 'finished' });
    await b.stop();
  });
});

describe('the scheduler timer', () => {
  it('runs at start, then looks again at least once a lease period, and leaves no timer after stop', async () => {
    const timers = new ManualTimers();
    const finished: Array<[string, Job, number]> = [];
    w.clock.advanceMinutes(7);
    const s = instance('A', finished, 30, timers);
    s.start();
    expect([...timers.pending.values()].map((p) => p.ms)).toEqual([0]);
    timers.fire();
    await until(() => timers.pending.size === 1);
    expect(finished).toHaveLength(MAPPINGS.length);
    // The next look is a lease period away (60 s), well before the 08:30 boundary: a slot whose owner
    // died is taken over that soon.
    expect([...timers.pending.values()].map((p) => p.ms)).toEqual([60_000]);
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

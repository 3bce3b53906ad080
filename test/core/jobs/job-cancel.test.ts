import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../core/errors.js';
import { createJobControl } from '../../../core/jobs/job-control.js';
import { createJobRepository } from '../../../core/jobs/job-repository.js';
import { CouplingService } from '../../../core/coupling/coupling-service.js';
import { createAuditLog } from '../../../core/audit/audit-log.js';
import type { Actor } from '../../../core/model/actor.js';
import { createRoles } from '../../../core/roles.js';
import { ensureIndexes } from '../../../core/store/indexes.js';
import type { DataversePort } from '../../../core/ports/dataverse.js';
import { FakeClock } from '../../kit/clock.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';
import { MANAGER, USER, world } from '../sync/world.js';

let t: TestDb;
beforeAll(async () => {
  t = await useTestDb();
});
afterAll(async () => t.cleanup());

const ADA: Actor = { id: 'AAAA-started', name: 'Ada Starter' };
const BOB: Actor = { id: 'bob-other', name: 'Bob Other' };
const BOSS: Actor = { id: 'boss-manager', name: 'Bea Boss' };

async function setup() {
  await t.db.dropDatabase();
  await ensureIndexes(t.db);
  const clock = FakeClock.at();
  const jobs = createJobRepository({ db: t.db, clock });
  const control = createJobControl({ jobs, roles: createRoles([BOSS.id]) });
  const start = () =>
    jobs.start({
      mapping: 'CUSTOMER',
      type: 'Synchronization',
      direction: 'Bidirectional',
      startedBy: ADA.name,
      startedById: ADA.id,
    });
  return { clock, jobs, control, start };
}

describe('cancel request (core)', () => {
  let s: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => {
    s = await setup();
  });

  it('the person who started a job may cancel it; the request is set once, with who and when', async () => {
    const id = await s.start();
    const first = await s.control.requestCancel(id, ADA);
    expect(first.kind).toBe('requested');
    expect(first.job.status).toBe('Running');
    expect(first.job.cancelRequest).toEqual({ byId: ADA.id, byName: ADA.name, at: s.clock.now() });
  });

  it('a second request answers who is already cancelling it and since when, and changes nothing', async () => {
    const id = await s.start();
    const at = s.clock.now();
    await s.control.requestCancel(id, ADA);
    s.clock.advanceMinutes(2);
    const second = await s.control.requestCancel(id, BOSS);
    expect(second.kind).toBe('already');
    expect(second.job.cancelRequest).toEqual({ byId: ADA.id, byName: ADA.name, at });
  });

  it('concurrent requests: exactly one sets the request (compare-and-set)', async () => {
    const id = await s.start();
    const answers = await Promise.all([
      s.control.requestCancel(id, ADA),
      s.control.requestCancel(id, BOSS),
      s.control.requestCancel(id, ADA),
    ]);
    expect(answers.filter((a) => a.kind === 'requested')).toHaveLength(1);
    expect(answers.filter((a) => a.kind === 'already')).toHaveLength(2);
  });

  it('a manager may cancel anyone’s job; someone else may not, and nothing changes', async () => {
    const id = await s.start();
    await expect(s.control.requestCancel(id, BOB)).rejects.toMatchObject({
      code: ErrorCode.Forbidden,
      message: expect.stringMatching(/Only Ada Starter or a manager can cancel/),
    });
    expect((await s.jobs.get(id))?.cancelRequest).toBeNull();
    expect((await s.control.requestCancel(id, BOSS)).kind).toBe('requested');
  });

  it('a finished job answers its final state and is not touched', async () => {
    const id = await s.start();
    await s.jobs.incrementCounters(id, { modified: 3 });
    await s.jobs.finish(id, 'Finished', '3 modified.');
    const answer = await s.control.requestCancel(id, ADA);
    expect(answer.kind).toBe('ended');
    expect([answer.job.status, answer.job.counters.modified, answer.job.cancelRequest]).toEqual([
      'Finished',
      3,
      null,
    ]);
  });

  it('refuses a job id that is not a job id shape before it reaches a query, and an unknown one', async () => {
    for (const bad of [{ $ne: null }, 'x', '', 42, 'a'.repeat(500)]) {
      await expect(s.control.requestCancel(bad, BOSS)).rejects.toMatchObject({
        code: ErrorCode.InvalidInput,
      });
    }
    await expect(s.control.requestCancel('3f2504e0-4f89-41d3-9a0c-0305e82c3301', BOSS)).rejects.toMatchObject(
      { code: ErrorCode.NotFound },
    );
  });

  it('cancel last finds the actor’s own most recent running job, and says so when there is none', async () => {
    await expect(s.control.requestCancelLast(ADA)).rejects.toMatchObject({ code: ErrorCode.NotFound });
    const older = await s.start();
    s.clock.advanceMinutes(1);
    const newer = await s.start();
    const answer = await s.control.requestCancelLast({ ...ADA, id: ADA.id.toLowerCase() });
    expect(answer.job.id).toBe(newer);
    expect((await s.jobs.get(older))?.cancelRequest).toBeNull();
    await expect(s.control.requestCancelLast(BOB)).rejects.toMatchObject({ code: ErrorCode.NotFound });
  });

  it('the progress heartbeat adds the counters and reads the request back; Cancelled needs a request', async () => {
    const id = await s.start();
    expect(await s.jobs.progress(id, { modified: 2 })).toEqual({ running: true, cancelRequest: null });
    expect(await s.jobs.finish(id, 'Cancelled', 'no one asked')).toBe(false);
    await s.control.requestCancel(id, ADA);
    const p = await s.jobs.progress(id, { modified: 1 });
    expect(p.cancelRequest?.byName).toBe(ADA.name);
    expect((await s.jobs.get(id))?.counters.modified).toBe(3);
    expect(await s.jobs.finish(id, 'Cancelled', 'Cancelled by Ada')).toBe(true);
    expect(await s.jobs.progress(id, { modified: 1 })).toEqual({ running: false, cancelRequest: null });
    expect((await s.jobs.get(id))?.status).toBe('Cancelled');
  });
});

describe('a cancelled run stops at a batch boundary', () => {
  it('synchronization: the batch being written completes and is counted, the rest is left, status Cancelled', async () => {
    let cancel: (() => Promise<unknown>) | undefined;
    const w = await world(t.db, {
      batchSize: 2,
      wrap: ({ bc, dv }) => ({
        bc,
        dv: new Proxy(dv, {
          get(target, prop, receiver) {
            const v = Reflect.get(target, prop, receiver) as unknown;
            if (typeof v !== 'function') return v;
            if (prop !== 'updateMany') return (v as () => unknown).bind(target);
            // Someone clicks Cancel while the first batch is being written to Dataverse.
            return async (...args: unknown[]) => {
              const r = await (v as (...a: unknown[]) => Promise<unknown>).apply(target, args);
              if (cancel) await cancel();
              cancel = undefined;
              return r;
            };
          },
        }) as DataversePort,
      }),
    });
    const pairs = [];
    for (const n of ['10000', '20000', '30000', '40000', '50000', '60000'])
      pairs.push(await w.coupledPair(n));
    w.clock.advanceMinutes(1);
    for (const p of pairs) await w.editBc(p.bc.id, { Name: `Renamed ${p.bc.number}` });
    const control = createJobControl({ jobs: w.jobs, roles: createRoles([MANAGER.id]) });
    const result = await w.sync.synchronizeModified(USER, 'CUSTOMER', {
      onStarted: (job) => {
        cancel = () => control.requestCancel(job.id, MANAGER);
      },
    });
    expect(result.job.status).toBe('Cancelled');
    expect(result.job.counters.modified).toBe(2);
    expect(result.job.message).toMatch(/^Cancelled by Megan Manager at \d{4}-\d\d-\d\d \d\d:\d\d UTC\. /);
    expect(result.job.finishedAt).not.toBeNull();
    const names = await Promise.all(pairs.map(async (p) => (await w.dvNow(p.dv.id))?.['name']));
    expect(names.filter((n) => String(n).startsWith('Renamed'))).toHaveLength(2);
    // What was left is picked up by the next run, not lost.
    const next = await w.sync.synchronizeModified(USER, 'CUSTOMER');
    expect([next.job.status, next.job.counters.modified]).toEqual(['Finished', 4]);
  });

  it('Delete Couplings for a whole mapping: ends Cancelled after the chunk it deleted, that chunk counted', async () => {
    const w = await world(t.db);
    for (const n of ['10000', '20000', '30000']) await w.coupledPair(n);
    const audit = createAuditLog({ db: t.db, clock: w.clock });
    const roles = createRoles([MANAGER.id]);
    const control = createJobControl({ jobs: w.jobs, roles });
    const jobs = {
      ...w.jobs,
      // The chunk size of the repository is large; cancel as soon as the first chunk is reported.
      progress: async (id: string, counters: Parameters<typeof w.jobs.progress>[1]) => {
        await control.requestCancel(id, MANAGER);
        return w.jobs.progress(id, counters);
      },
    };
    const coupling = new CouplingService({
      bc: w.sandbox.bc,
      dv: w.sandbox.dv,
      couplings: w.couplings,
      mappings: w.mappings,
      audit,
      jobs,
      roles,
      clock: w.clock,
    });
    const job = await coupling.uncoupleAll(MANAGER, 'CUSTOMER');
    expect(job.status).toBe('Cancelled');
    expect(job.message).toMatch(
      /^Cancelled by Megan Manager at .* UTC\. 3 couplings .* were deleted before it stopped/,
    );
    expect(job.counters.uncoupled).toBe(3);
  });
});

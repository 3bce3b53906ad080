import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSyncRuntime } from '../../../core/scheduler/sync-runtime.js';
import { createJobRepository } from '../../../core/jobs/job-repository.js';
import { createRunLocks, type RunLease } from '../../../core/jobs/run-lock.js';
import type { Job } from '../../../core/model/job.js';
import { button, cardText } from '../../support/bot-harness.js';
import { ADA, BEN } from '../teams-activity.js';
import { captureLogs } from '../log-capture.js';
import { freshSandbox, personalChat, startSyncHarness, type SyncHarness } from './harness.js';

/**
 * Whole-table work is a manager's, one run per mapping at a time across instances, and a job that
 * stops making progress is reported to managers once (issue 13, Jobs).
 */
let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness({ env: { SYNC_INTERVAL_MINUTES: '30', LEASE_SECONDS: '60' } });
});
afterAll(() => h.close());
beforeEach(async () => {
  await freshSandbox(h);
  await h.db.db.collection('runLocks').deleteMany({});
  h.clock.reset();
});

const text = (turn: Awaited<ReturnType<SyncHarness['say']>>) =>
  turn.messages.map((m) => m.text ?? cardText(m.attachments?.[0]?.content)).join('\n---\n');

/** Another instance on the same database, running Synchronization (or Delete Couplings) of CUSTOMER for Ada. */
async function anotherInstanceRunning(
  type: 'Synchronization' | 'Uncoupling' = 'Synchronization',
): Promise<{ job: Job; lease: RunLease }> {
  const jobs = createJobRepository({ db: h.db.db, clock: h.clock });
  const locks = createRunLocks({
    db: h.db.db,
    clock: h.clock,
    owner: 'other-host:4242',
    leaseMs: 60_000,
    jobs,
  });
  const lease = await locks.acquire('CUSTOMER', 'Ada Manager');
  const id = await jobs.start({
    mapping: 'CUSTOMER',
    type,
    direction: type === 'Synchronization' ? 'Bidirectional' : '',
    startedBy: 'Ada Manager',
  });
  await lease.attach(id);
  return { job: (await jobs.get(id))!, lease };
}

describe('whole-table work is a manager’s', () => {
  it('a user cannot run a full synchronization and is told who can; modified records stay open to them', async () => {
    const refused = await h.say('sync customers all', BEN);
    expect(text(refused)).toMatch(
      /Only managers can run a full synchronization of a table mapping\. Ask one of your Coupling Assistant managers/,
    );
    expect(await h.db.db.collection('jobs').countDocuments()).toBe(0);

    const modified = await h.say('sync customers modified', BEN);
    expect(text(modified)).toMatch(/Synchronization of CUSTOMER[\s\S]*Started by: Ben User[\s\S]*Running…/);
    await h.settle();
    const full = await h.say('sync customers all', ADA);
    expect(text(full)).toMatch(/Full synchronization · Bidirectional[\s\S]*Started by: Ada Manager/);
    await h.settle();
  });
});

describe('one run per mapping at a time, across instances', () => {
  it('a second full or modified run answers who runs it since when, with the running job’s card, and starts nothing', async () => {
    const { job, lease } = await anotherInstanceRunning();
    const since = job.startedAt.toISOString().slice(11, 16);
    for (const [user, command] of [
      [ADA, 'sync customers all'],
      [BEN, 'sync customers modified'],
    ] as const) {
      const answer = await h.say(command, user);
      expect(answer.messages).toHaveLength(2);
      expect(answer.messages[0]?.text).toBe(
        `Synchronization of CUSTOMER is already running since ${since} UTC, started by Ada Manager. Nothing new was started; the running job is below.`,
      );
      const card = cardText(answer.messages[1]?.attachments?.[0]?.content);
      expect(card).toMatch(/^Synchronization of CUSTOMER/);
      expect(card).toContain(`Job: ${job.id}`);
      expect(card).toMatch(/Started by: Ada Manager/);
    }
    expect(await h.db.db.collection('jobs').countDocuments()).toBe(1);
    // Another mapping is not held back.
    expect(text(await h.say('sync vendors modified', BEN))).toMatch(
      /Synchronization of VENDOR[\s\S]*Running…/,
    );
    await h.settle();

    // Scheduled runs respect it too: CUSTOMER's slot is skipped, the others run.
    const ran = await h.bot.runtime.scheduler.tick();
    expect(ran).not.toContain('CUSTOMER');
    expect(ran).toContain('VENDOR');
    const slot = await h.db.db.collection('leases').findOne({ mapping: 'CUSTOMER' });
    expect(slot).toMatchObject({ status: 'skipped', note: 'a run of this mapping was already going' });

    // Once that run ends, the mapping is free again.
    await lease.release();
    expect(text(await h.say('sync customers modified', BEN))).toMatch(/Started by: Ben User[\s\S]*Running…/);
    await h.settle();
  });

  it('a lock whose instance died (no heartbeat for a lease) is taken over', async () => {
    await anotherInstanceRunning(); // …and that instance is never heard of again
    expect(text(await h.say('sync customers modified', BEN))).toMatch(/already running since/);
    h.clock.advanceMinutes(61 / 60);
    expect(text(await h.say('sync customers modified', BEN))).toMatch(/Started by: Ben User[\s\S]*Running…/);
    await h.settle();
  });
});

describe('Delete Couplings holds the mapping as a synchronization does', () => {
  it('is refused while a synchronization runs, deleting nothing; a synchronization is refused while it runs', async () => {
    await h.say('mapping customers sync-only-coupled off', ADA);
    await h.say('sync customers all', ADA);
    await h.settle();
    const couplings = () => h.db.db.collection('couplings').countDocuments({ mapping: 'CUSTOMER' });
    const before = await couplings();
    expect(before).toBeGreaterThan(0);

    const { job, lease } = await anotherInstanceRunning();
    const confirm = await h.say('uncouple all customers', ADA);
    const refused = await h.click(button(confirm.card, 'Delete Couplings'), confirm.id, {}, ADA);
    // The click is answered with the refusal; the running job's card follows as a message.
    expect(String(refused.body?.value)).toMatch(
      /^Synchronization of CUSTOMER is already running since .* started by Ada Manager\. Nothing new was started/,
    );
    expect(text(refused)).toContain(`Job: ${job.id}`);
    expect(await couplings()).toBe(before);
    expect(await h.db.db.collection('jobs').countDocuments({ type: 'Uncoupling' })).toBe(0);
    await lease.release();

    // Another instance deleting the couplings: a full synchronization waits for it.
    const deleting = await anotherInstanceRunning('Uncoupling');
    const full = await h.say('sync customers all', ADA);
    expect(full.messages[0]?.text).toMatch(/^Uncoupling of CUSTOMER is already running since /);
    expect(cardText(full.messages[1]?.attachments?.[0]?.content)).toMatch(/^Uncoupling of CUSTOMER/);
    await deleting.lease.release();
  });
});

describe('a job that makes no progress', () => {
  it('is marked Interrupted and managers are told once, across instances', async () => {
    await h.say('help', ADA); // Ada's personal chat, where managers hear from the bot
    const jobs = createJobRepository({ db: h.db.db, clock: h.clock });
    const id = await jobs.start({
      mapping: 'CUSTOMER',
      type: 'Synchronization',
      direction: 'Bidirectional',
      startedBy: 'Ben User',
    });
    const from = h.adapter.sent.length;
    await h.bot.runtime.recover();
    expect(h.sentTo(personalChat(ADA), from)).toHaveLength(0); // still within its stall time

    h.clock.advanceMinutes(5 + 1 / 60);
    // A second instance sweeps at the same moment; only one of them tells.
    const toldBySecond: string[] = [];
    const second = createSyncRuntime({
      db: h.db.db,
      clock: h.clock,
      intervalMinutes: 0,
      instanceId: 'second',
      sync: {
        synchronizeModified: () => Promise.reject(new Error('unused')),
        recoverInterrupted: (o) => jobs.markInterrupted(o),
      },
      mappings: { list: async () => [] },
      onRunFinished: async () => undefined,
      logger: captureLogs().logger,
      stallAlerts: {
        claim: () => jobs.claimStallAlerts(),
        tell: async (job) => void toldBySecond.push(job.id),
      },
    });
    await h.bot.runtime.recover();
    // Every later sweep, on either instance, at once or not, tells nobody again.
    await Promise.all([h.bot.runtime.recover(), second.recover()]);
    h.clock.advanceHours(1);
    await second.recover();
    await h.bot.runtime.recover();

    expect((await jobs.get(id))?.status).toBe('Interrupted');
    const told = h.sentTo(personalChat(ADA), from).map((a) => a.text ?? '');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(
      /^The Synchronization job of CUSTOMER started by Ben User at .* UTC made no progress for 5 minutes and was marked Interrupted\. .*sync customer modified/,
    );
    expect(toldBySecond).toEqual([]);
    // Ben is not a manager: he hears nothing.
    expect(h.sentTo(personalChat(BEN), from)).toHaveLength(0);
  });
});

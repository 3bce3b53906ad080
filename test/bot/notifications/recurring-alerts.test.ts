import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { composeBot } from '../../../bot/composition/compose-bot.js';
import { proactiveVia } from '../../../bot/notifications/proactive.js';
import { loadConfig } from '../../../core/config.js';
import { createJobRepository } from '../../../core/jobs/job-repository.js';
import { SCHEDULER_ACTOR } from '../../../core/scheduler/sync-scheduler.js';
import { captureLogs } from '../log-capture.js';
import { testRoster } from '../../support/roster.js';
import { button, cardOf, cardText } from '../../support/bot-harness.js';
import { freshSandbox, personalChat, startSyncHarness, type SyncHarness } from '../sync/harness.js';
import { ADA, BEN } from '../teams-activity.js';

/**
 * Records that loop and schedules that stall, in chat over the sandbox: scheduled runs every 30
 * minutes (ticked by hand, the clock moved past each interval), managers Ada (and not Ben) told.
 */
let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness(); // SYNC_INTERVAL_MINUTES: the default 30
});
afterAll(() => h.close());
beforeEach(async () => {
  await freshSandbox(h);
  for (const c of ['scheduleHealth', 'digests', 'runLocks']) await h.db.db.collection(c).deleteMany({});
  await h.say('mapping customers update-conflicts none', ADA);
  await h.say('help', ADA); // both have a personal chat with the bot
  await h.say('help', BEN);
});

/** A second instance of the bot on the same database (its messages reach the same chats). */
function secondInstance() {
  const config = loadConfig({ NODE_ENV: 'test', MANAGER_AAD_OBJECT_IDS: ADA.aadObjectId });
  return composeBot({
    config,
    logger: captureLogs().logger,
    db: h.db.db,
    clock: h.clock,
    roster: testRoster(),
    proactive: proactiveVia(h.adapter, config.MicrosoftAppId),
  });
}

/** What the bot sent to the user's personal chat on its own (not the answers to their sandbox edits). */
const textsTo = (user: typeof ADA, from: number) =>
  h
    .sentTo(personalChat(user), from)
    .map((a) => a.text ?? cardText(cardOf(a)))
    .filter((t) => !t.startsWith('Sandbox edit'));

async function coupleAdatum(): Promise<void> {
  const setUp = await h.say('couple customer 10000', ADA);
  const data = { syncAfterCoupling: 'Yes - Use the Business Central data' };
  await h.click(button(setUp.card, 'Couple'), setUp.id, data, ADA);
}

/** One scheduled interval in which Phone No. was changed on both sides (a new value each time). */
async function bothSidesChangedThenRun(n: number): Promise<void> {
  await h.say(`sandbox edit customer 10000 phone="+1 425 555 01${n}1"`, ADA);
  await h.say(`sandbox edit account "Adatum Corporation" telephone1="+1 425 555 01${n}2"`, ADA);
  h.clock.advanceMinutes(31);
  expect(await h.bot.runtime.scheduler.tick()).toContain('CUSTOMER');
}

describe('recurring errors', () => {
  it('a conflict on three runs in a row is recurring: listed by errors customers recurring; one alert, then one digest a day', async () => {
    await coupleAdatum();
    const from = h.adapter.sent.length;
    for (const n of [1, 2, 3]) await bothSidesChangedThenRun(n);
    // Only the run that opened the error alerted; the two that found it again did not.
    expect(textsTo(ADA, from)).toEqual([expect.stringMatching(/left 1 new error/)]);

    const recurring = cardText((await h.say('errors customers recurring', BEN)).card);
    expect(recurring).toMatch(
      /^Coupled Data Synchronization Errors\n1 recurring error for CUSTOMER\.\nCUSTOMER · 10000 Adatum Corporation\nUpdate conflict · Recurring: 3 runs in a row since \d{4}-\d\d-\d\d \d\d:\d\d UTC · seen 3 times · /,
    );
    expect(recurring).not.toContain('Retry All');
    expect(cardText((await h.say('errors customers', BEN)).card)).toContain('Recurring: 3 runs in a row');
    expect(cardText((await h.say('errors vendors recurring', BEN)).card)).toContain(
      'No recurring synchronization errors for VENDOR.',
    );

    const beforeDigest = h.adapter.sent.length;
    // Two instances look at the same moment, then one looks again the same day: one digest.
    const other = secondInstance();
    await Promise.all([h.bot.runtime.watch(), other.runtime.watch()]);
    await other.runtime.watch();
    const [digest, ...more] = textsTo(ADA, beforeDigest);
    expect(more).toEqual([]);
    expect(digest).toMatch(
      /^Daily digest, \d{4}-\d\d-\d\d: 1 record fails the same way run after run \(1 new since the last digest\)\.\nCUSTOMER: 1\n- CUSTOMER 10000: Update conflict\. Recurring: 3 runs in a row since .* UTC, seen 3 times\. Cannot update Customer 10000/,
    );
    expect(digest).toMatch(/Type errors customer recurring to act on them\./);
    expect(textsTo(BEN, beforeDigest)).toEqual([]);

    // The next day it still loops: one more digest, nothing new in it.
    h.clock.advanceHours(24);
    await h.bot.runtime.scheduler.tick();
    const nextDay = h.adapter.sent.length;
    await h.bot.runtime.watch();
    expect(textsTo(ADA, nextDay)).toEqual([
      expect.stringMatching(/^Daily digest, .*: 1 record fails the same way run after run\.\n/),
    ]);
  });

  it('a record changed on both sides on every run, the conflict rule deciding, is a ping-pong: recurring, closed when it stops', async () => {
    await h.say('mapping customers update-conflicts send', ADA);
    await coupleAdatum();
    const from = h.adapter.sent.length;
    for (const n of [4, 5]) await bothSidesChangedThenRun(n);
    expect(cardText((await h.say('errors customers', BEN)).card)).toContain('No synchronization errors');
    await bothSidesChangedThenRun(6);
    const text = cardText((await h.say('errors customers recurring', BEN)).card);
    expect(text).toMatch(
      /1 recurring error for CUSTOMER\.\nCUSTOMER · 10000 Adatum Corporation\nChanged on both sides on every run · Recurring: 3 runs in a row since /,
    );
    expect(text).toMatch(
      /changed in both Business Central and Dataverse on every run \(Phone No\.\); Resolve Update Conflicts \(Send Update to Integration\) decided each time/,
    );
    // Not a per-run alert: the digest tells it.
    expect(textsTo(ADA, from)).toEqual([]);

    await h.say('sandbox edit customer 10000 phone="+1 425 555 0171"', ADA);
    h.clock.advanceMinutes(31);
    await h.bot.runtime.scheduler.tick();
    expect(cardText((await h.say('errors customers recurring', BEN)).card)).toContain(
      'No recurring synchronization errors for CUSTOMER.',
    );
  });
});

describe('stalled schedules', () => {
  it('CUSTOMER skipped for three intervals (another run holds it): managers told once, and once when it recovers', async () => {
    expect(await h.bot.runtime.scheduler.tick()).toContain('CUSTOMER');
    const now = h.clock.now();
    // Another instance's run of CUSTOMER is going and keeps going: every scheduled run skips it.
    await h.db.db.collection<{ _id: string } & Record<string, unknown>>('runLocks').insertOne({
      _id: 'CUSTOMER',
      token: 'held',
      owner: 'another-instance',
      startedAt: now,
      startedBy: 'Someone',
      jobId: null,
      heartbeatAt: now,
      expiresAt: new Date(now.getTime() + 86_400_000),
    });
    const from = h.adapter.sent.length;
    for (let i = 0; i < 3; i++) {
      h.clock.advanceMinutes(31);
      expect(await h.bot.runtime.scheduler.tick()).not.toContain('CUSTOMER');
      await h.bot.runtime.watch();
    }
    await h.bot.runtime.watch();
    const told = textsTo(ADA, from);
    expect(told).toEqual([
      expect.stringMatching(
        /^Scheduled synchronization of CUSTOMER has not completed since .* UTC \(3 intervals of 30 minutes\)\. No run reported an error.*Type status customer to see its jobs.*You will hear once more when it recovers\.$/,
      ),
    ]);
    expect(textsTo(BEN, from)).toEqual([]);

    await h.db.db.collection<{ _id: string }>('runLocks').deleteOne({ _id: 'CUSTOMER' });
    h.clock.advanceMinutes(31);
    expect(await h.bot.runtime.scheduler.tick()).toContain('CUSTOMER');
    await h.bot.runtime.watch();
    h.clock.advanceMinutes(31);
    await h.bot.runtime.scheduler.tick();
    expect(textsTo(ADA, from).slice(1)).toEqual([
      expect.stringMatching(
        /^Scheduled synchronization of CUSTOMER completed again at .* UTC \(it had not completed since .* UTC\)\./,
      ),
    ]);
  });

  it('a scheduled job that stopped making progress: the Interrupted alert, then one recovery when a run completes', async () => {
    expect(await h.bot.runtime.scheduler.tick()).toContain('CUSTOMER'); // the schedule is healthy
    const jobs = createJobRepository({ db: h.db.db, clock: h.clock });
    await jobs.start({
      mapping: 'CUSTOMER',
      type: 'Synchronization',
      direction: 'Bidirectional',
      startedBy: SCHEDULER_ACTOR.name,
    });
    const from = h.adapter.sent.length;
    h.clock.advanceMinutes(6); // JOB_STALL_MINUTES: 5
    expect(await h.bot.runtime.recover()).toBe(1);
    await h.bot.runtime.watch();
    expect(textsTo(ADA, from)).toEqual([
      expect.stringMatching(
        /^The Synchronization job of CUSTOMER started by Scheduled synchronization .* was marked Interrupted/,
      ),
    ]);
    h.clock.advanceMinutes(31);
    expect(await h.bot.runtime.scheduler.tick()).toContain('CUSTOMER');
    h.clock.advanceMinutes(31);
    await h.bot.runtime.scheduler.tick();
    expect(textsTo(ADA, from).slice(1)).toEqual([
      expect.stringMatching(/^Scheduled synchronization of CUSTOMER completed again at /),
    ]);
  });
});

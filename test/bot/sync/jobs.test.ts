import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createJobRepository } from '../../../core/jobs/job-repository.js';
import { systemClock } from '../../../core/ports/clock.js';
import { accountId } from '../../../connectors/sandbox/seed-data-dv.js';
import { button, cardOf, cardText } from '../../support/bot-harness.js';
import { ADA, BEN } from '../teams-activity.js';
import { freshSandbox, personalChat, startSyncHarness, type SyncHarness } from './harness.js';

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness({ env: { SYNC_INTERVAL_MINUTES: '0' } });
});
afterAll(() => h.close());
beforeEach(async () => {
  await freshSandbox(h);
  h.adapter.failUpdates = false;
  h.clock.reset();
});

/** Customers 10000 (Adatum) and 30000 (School of Fine Art) coupled and in step. */
async function coupleTwo(): Promise<void> {
  // School of Fine Art pays in CAD, which the sandbox's Dataverse lacks: the currency is created first.
  const currency = await h.say('couple currency CAD', ADA);
  await h.click(button(currency.card, 'Create New'), currency.id, {}, ADA);
  for (const [no, key] of [
    ['10000', 'adatum'],
    ['30000', 'fine-art-spacing'],
  ] as const) {
    const setUp = await h.say(`couple customer ${no}`, ADA);
    const pick = button(setUp.card, 'Couple', 0);
    expect(pick.data['dvId']).toBe(accountId(key));
    await h.click(pick, setUp.id, { syncAfterCoupling: 'Yes - Use the Business Central data' }, ADA);
  }
}

const updatedCard = (id: string | undefined) =>
  cardText(cardOf(h.adapter.updates.filter((u) => u.id === id).at(-1)));

describe('multi-record and whole-mapping runs are jobs', () => {
  it('a whole-mapping run answers at once with a running card, updated in place with the counters', async () => {
    await coupleTwo();
    await h.say('sandbox edit customer 10000 phone="+1 425 555 0101"', ADA);
    await h.say('sandbox edit account "School  of Fine Art" telephone1="+1 305 555 0102"', ADA);
    const running = await h.say('sync customers modified', BEN);
    expect(cardText(running.card)).toMatch(
      /^Synchronization of CUSTOMER\n[\s\S]*Direction: Synchronize Modified Records · Bidirectional[\s\S]*Started by: Ben User[\s\S]*Running…/,
    );
    await h.settle();
    const done = updatedCard(running.id);
    expect(done).toMatch(
      /^Synchronization of CUSTOMER\nSynchronize Modified Records · Bidirectional · by Ben User/,
    );
    expect(done).toContain('Inserted 0 · Modified 2 · Deleted 0 · Unchanged 0 · Skipped 0 · Failed 0');
    expect(done).toMatch(
      /10000 Adatum Corporation: Modified in Dataverse\n(?:Salesperson JO is not coupled.*\n)?telephone1: .+ → \+1 425 555 0101/,
    );
    expect(done).toMatch(
      /30000 School of Fine Art: Modified in Business Central\nPhone No\.: .+ → \+1 305 555 0102/,
    );
  });

  it('Synchronize on the direction card for several records: the invoke is the running card, then updated', async () => {
    await coupleTwo();
    await h.say('sandbox edit customer 30000 phone="+1 305 555 0199"', ADA);
    const asked = await h.say('sync customer 10000 30000', BEN);
    const answer = await h.click(button(asked.card, 'Synchronize'), asked.id, { direction: 'Bidirectional' });
    expect(answer.body?.statusCode).toBe(200);
    expect(cardText(answer.card)).toMatch(
      /^Synchronization of CUSTOMER[\s\S]*Direction: Merge data[\s\S]*Running…/,
    );
    await h.settle();
    const done = updatedCard(asked.id);
    expect(done).toContain('Modified 1 · Deleted 0 · Unchanged 1');
    expect(done).toMatch(
      /30000 School of Fine Art: Modified in Dataverse\n(?:Salesperson OF is not coupled.*\n)?telephone1: .+ → \+1 305 555 0199/,
    );
  });

  it('the Action.Submit fallback: the running card replaces the clicked one, then the result replaces it', async () => {
    await coupleTwo();
    const asked = await h.say('sync customer 10000 30000', BEN);
    await h.submit(button(asked.card, 'Synchronize'), asked.id!, { direction: 'ToIntegrationTable' });
    expect(updatedCard(asked.id)).toMatch(/^Synchronization of CUSTOMER[\s\S]*Running…/);
    await h.settle();
    expect(updatedCard(asked.id)).toMatch(
      /^Synchronization of CUSTOMER\nSend data update to Dataverse · by Ben User[\s\S]*Unchanged 2/,
    );
  });

  it('when the running card cannot be updated, the result comes as a new message', async () => {
    await coupleTwo();
    h.adapter.failUpdates = true;
    const running = await h.say('sync customers all', ADA);
    const before = h.adapter.sent.length;
    await h.settle();
    const sent = h.sentTo(personalChat(ADA), before);
    expect(sent).toHaveLength(1);
    expect(cardText(cardOf(sent[0]))).toMatch(
      /^Synchronization of CUSTOMER\nFull synchronization · Bidirectional · by Ada Manager/,
    );
    expect(cardText(cardOf(sent[0]))).toContain('Modified 0 · Deleted 0 · Unchanged 2');
    expect(h.adapter.updates.filter((u) => u.id === running.id)).toEqual([]);
  });

  it('an unknown table is refused at once, and no job starts', async () => {
    const jobs = await h.db.db.collection('jobs').countDocuments();
    expect((await h.say('sync widget all')).messages[0]?.text).toMatch(/^I don't know 'widget'/);
    expect(await h.db.db.collection('jobs').countDocuments()).toBe(jobs);
  });
});

describe('status', () => {
  it('lists recent jobs with their eight counters and who started them', async () => {
    await coupleTwo();
    await h.say('sandbox edit customer 10000 phone="+1 425 555 0150"', ADA);
    await h.say('sync customers all', ADA);
    await h.settle();
    const text = cardText((await h.say('status customers', BEN)).card);
    expect(text).toMatch(
      /^Integration Synchronization Jobs\nRecent jobs for CUSTOMER\nCUSTOMER · Synchronization · Bidirectional\nFinished\n.* · by Ada Manager · job [0-9a-f-]{36}\nInserted 0 · Modified 1 · Deleted 0 · Unchanged 1 · Skipped 0 · Failed 0 · Coupled 0 · Uncoupled 0\n1 modified, 1 unchanged\./,
    );
    expect(cardText((await h.say('status vendors')).card)).toContain('No jobs yet for VENDOR.');
  });

  it('a running job that knows its total shows how far it got as a percentage; a finished one does not', async () => {
    const jobs = createJobRepository({ db: h.db.db, clock: systemClock });
    const id = await jobs.start({
      mapping: 'CUSTOMER',
      type: 'Synchronization',
      direction: 'Bidirectional',
      startedBy: 'Ada Manager',
    });
    await jobs.setTotal(id, 10_000);
    await jobs.incrementCounters(id, { inserted: 40, modified: 1_100, unchanged: 100 });
    const running = cardText((await h.say('status customers')).card);
    expect(running).toMatch(
      /\nRunning\n.* · job [0-9a-f-]{36}\n1,240 of 10,000 \(12%\)\nInserted 40 · Modified 1100/,
    );
    await jobs.finish(id, 'Finished', '');
    expect(cardText((await h.say('status customers')).card)).not.toMatch(/ of 10,000/);
  });

  it('jobs left Running by a stopped instance show as Interrupted after start-up, with how to re-run them', async () => {
    const jobs = createJobRepository({ db: h.db.db, clock: systemClock });
    await jobs.start({
      mapping: 'CUSTOMER',
      type: 'Synchronization',
      direction: 'Bidirectional',
      startedBy: 'Ada Manager',
    });
    await h.bot.runtime.start();
    expect(cardText((await h.say('status customers')).card)).toMatch(/\nRunning\n/); // still fresh: maybe alive elsewhere
    h.clock.reset();
    h.clock.advanceMinutes(10); // no progress for ten minutes: its instance is gone
    await h.bot.runtime.stop();
    await h.bot.runtime.start();
    const text = cardText((await h.say('status customers')).card);
    expect(text).toMatch(/\nInterrupted\n/);
    expect(text).toMatch(
      /re-run it with sync customer modified — changes already applied are not applied twice\.$/,
    );
    await h.bot.runtime.stop();
    const rerun = await h.say('sync customer modified');
    await h.settle();
    expect(updatedCard(rerun.id)).toMatch(/^Synchronization of CUSTOMER\nSynchronize Modified Records/);
  });
});

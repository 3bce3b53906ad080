import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../../connectors/sandbox/generator.js';
import { button, cardOf, cardText } from '../../support/bot-harness.js';
import { ADA, BEN } from '../teams-activity.js';
import { freshSandbox, startSyncHarness, type SyncHarness } from './harness.js';

/**
 * Customers the full synchronization has to create in Dataverse, in batches of 100: 25 batches, so a
 * Cancel sent once the first has landed always arrives with most of the job still to do (with batches
 * of 1,000 a loaded machine could see the last batch written before the Cancel was read).
 */
const CUSTOMERS = 2500;
const BATCH = 100;

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness({ env: { SYNC_INTERVAL_MINUTES: '0' }, syncBatchSize: BATCH });
});
afterAll(() => h.close());
beforeEach(async () => {
  await freshSandbox(h);
  await generateSynthetic(h.db.db, { customers: CUSTOMERS, accounts: 0, clock: h.clock });
  // Full synchronization then creates an account for every uncoupled customer (Create New), in batches.
  await h.say('mapping customers sync-only-coupled off', ADA);
});

const jobIdOf = (card: unknown): string => {
  const id = /Job: ([0-9a-f-]{36})/.exec(cardText(card))?.[1];
  if (!id) throw new Error(`no job id on the card:\n${cardText(card)}`);
  return id;
};
const updatedCard = (id: string | undefined) =>
  cardText(cardOf(h.adapter.updates.filter((u) => u.id === id).at(-1)));

/** Waits until the job has written its first batches, so cancelling it has something to keep. */
async function whenInserted(jobId: string, atLeast = 1): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const job = await h.db.db.collection('jobs').findOne({ id: jobId });
    if (((job?.['counters'] as { inserted?: number } | undefined)?.inserted ?? 0) >= atLeast) return;
    if (Date.now() > deadline) throw new Error(`job ${jobId} inserted nothing within 20 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What the job did is what is in the store: every counted insert is a coupling, nothing half-written. */
async function expectStoppedAtABatchBoundary(jobId: string) {
  const job = await h.db.db.collection('jobs').findOne({ id: jobId });
  expect(job?.['status']).toBe('Cancelled');
  const inserted = (job?.['counters'] as { inserted: number }).inserted;
  expect(inserted).toBeGreaterThan(0);
  expect(inserted).toBeLessThan(CUSTOMERS);
  // The sandbox's customers start uncoupled (freshSandbox): every coupling now is one this job created.
  expect(await h.db.db.collection('couplings').countDocuments({ mapping: 'CUSTOMER' })).toBe(inserted);
  return inserted;
}

describe('Cancel for a running job', () => {
  it('Cancel on the running card: "Cancelling…", then the card shows Cancelled with the counters kept', async () => {
    const running = await h.say('sync customers all', ADA);
    expect(cardText(running.card)).toMatch(/Running…/);
    const jobId = jobIdOf(running.card);
    await whenInserted(jobId);
    const clicked = await h.click(button(running.card, 'Cancel'), running.id, {}, ADA);
    expect(clicked.body?.statusCode).toBe(200);
    expect(cardText(clicked.card)).toMatch(/Cancelling… the job stops after the batch it is writing/);
    await h.settle();
    const inserted = await expectStoppedAtABatchBoundary(jobId);
    const done = updatedCard(running.id);
    expect(done).toMatch(/Cancelled by Ada/);
    expect(done).toContain(`Inserted ${inserted} ·`);

    const status = cardText((await h.say('status customers', ADA)).card);
    expect(status).toMatch(/CUSTOMER · Synchronization[^\n]*\nCancelled\n/);
    expect(status).toMatch(/Cancelled by Ada Manager at \d{4}-\d\d-\d\d \d\d:\d\d UTC\./);
  });

  it('`cancel job <id>` typed stops it; asked again once it ended, it answers the final state', async () => {
    const running = await h.say('sync customers all', ADA);
    const jobId = jobIdOf(running.card);
    await whenInserted(jobId);
    const first = await h.say(`cancel job ${jobId.toUpperCase()}`, ADA);
    expect(cardText(first.card)).toMatch(/Cancelling…/);
    await h.settle();
    const inserted = await expectStoppedAtABatchBoundary(jobId);
    expect(updatedCard(running.id)).toContain(`Inserted ${inserted} ·`);
    const after = await h.say(`cancel job ${jobId}`, ADA);
    expect(cardText(after.card)).toMatch(/has already ended: Cancelled\.\nCancelled by Ada Manager/);
  });

  it('someone who did not start it and is not a manager is refused, and nothing changes', async () => {
    const running = await h.say('sync customers all', ADA);
    const jobId = jobIdOf(running.card);
    const refused = await h.say(`cancel job ${jobId}`, BEN);
    expect(cardText(refused.card) + (refused.messages[0]?.text ?? '')).toMatch(
      /Only Ada Manager or a manager can cancel job/,
    );
    const job = await h.db.db.collection('jobs').findOne({ id: jobId });
    expect(job?.['cancelRequest']).toBeNull();
    // Its starter can (and so the test does not wait for all of it).
    await h.click(button(running.card, 'Cancel'), running.id, {}, ADA);
    await h.settle();
    expect((await h.db.db.collection('jobs').findOne({ id: jobId }))?.['cancelRequest']).toMatchObject({
      byName: 'Ada Manager',
    });
  });

  it('`cancel last` stops the user’s own latest running job; bad ids are refused with how to find one', async () => {
    const running = await h.say('sync customers all', ADA);
    const jobId = jobIdOf(running.card);
    await whenInserted(jobId);
    expect(cardText((await h.say('cancel last', ADA)).card)).toMatch(/Cancelling…/);
    await h.settle();
    await expectStoppedAtABatchBoundary(jobId);
    expect((await h.say('cancel job 12345', ADA)).messages[0]?.text).toMatch(
      /'12345' is not a job id; type status to see recent jobs/,
    );
  });
});

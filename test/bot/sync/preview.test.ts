import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createJobRepository } from '../../../core/jobs/job-repository.js';
import { createRunLocks } from '../../../core/jobs/run-lock.js';
import { button, cardOf, cardText } from '../../support/bot-harness.js';
import { ADA, BEN } from '../teams-activity.js';
import { freshSandbox, personalChat, startSyncHarness, type SyncHarness, type Turn } from './harness.js';

/**
 * `sync customers all|modified preview` and `uncouple all customers preview` over the sandbox
 * connectors: the card says what would happen; nothing is written until a manager runs it for real.
 */
let h: SyncHarness;
beforeAll(async () => {
  // Previews answer in the turn here (the slow path has its own test below).
  h = await startSyncHarness({ env: { MATCH_PROGRESS_AFTER_MS: '60000' } });
});
afterAll(() => h.close());
beforeEach(async () => {
  await freshSandbox(h);
  await h.say('mapping customers reset', ADA);
  await h.db.db.collection('syncPreviews').deleteMany({});
});

const text = (turn: Turn) =>
  turn.messages.map((m) => m.text ?? cardText(m.attachments?.[0]?.content)).join('\n---\n') ||
  cardText(turn.card);

/** Every collection a run could write (sandbox tables included), without the previews themselves. */
async function store(): Promise<unknown> {
  const names = (await h.db.db.listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .filter((n) => !['conversations', 'cardRefs', 'syncPreviews'].includes(n))
    .sort();
  const docs = await Promise.all(
    names.map(async (n) => [n, await h.db.db.collection(n).find().sort({ _id: 1 }).toArray()]),
  );
  return Object.fromEntries(docs);
}

async function coupleAdatum(): Promise<void> {
  await h.say('couple customer 10000 to account "Adatum Corporation"', ADA);
}

const preview = async (command: string, user = ADA) => {
  const before = await store();
  const turn = await h.say(command, user);
  // The preview wrote nothing: not the sandbox tables, couplings, errors, jobs, marks or audit.
  expect(await store()).toEqual(before);
  return turn;
};
const run = (turn: Turn, user = ADA) => h.click(button(turn.card, 'Run for real'), turn.id, {}, user);

describe('sync customers all preview', () => {
  it('shows what a full synchronization would do, writes nothing, and Run for real does exactly that', async () => {
    await coupleAdatum();
    await h.say('mapping customers sync-only-coupled off', ADA);
    await h.say('sandbox edit customer 10000 phone="+1 425 555 0111"', ADA);
    const p = await preview('sync customers all preview');
    const shown = text(p);
    expect(shown).toMatch(/^Preview of CUSTOMER\nFull synchronization · Bidirectional · by Ada Manager/);
    expect(shown).toMatch(
      /Nothing was written\. Run it for real until .* UTC; it is refused if something changed since\./,
    );
    expect(shown).toMatch(/Would be inserted in Dataverse: 2\n50000 Relecloud\nname: \(empty\) → Relecloud/);
    expect(shown).toMatch(
      /Would be inserted in Business Central: 3\nLitware, Inc\.\nName: \(empty\) → Litware, Inc\./,
    );
    expect(shown).toMatch(
      /Would be modified in Dataverse: 1\n10000 Adatum Corporation\n[\s\S]*telephone1: \(425\) 555-0100 → \+1 425 555 0111/,
    );
    expect(shown).toMatch(
      /Errors \(would fail\): 5\n[\s\S]*30000 School of Fine Art\nDataverse has no currency CAD[\s\S]*…and 2 more/,
    );
    expect(await h.db.db.collection('jobs').countDocuments({ type: 'Synchronization' })).toBe(0);

    const running = await run(p);
    expect(cardText(running.card)).toMatch(
      /^Synchronization of CUSTOMER[\s\S]*Started by: Ada Manager[\s\S]*Running…/,
    );
    await h.settle();
    const jobs = await h.db.db.collection('jobs').find({ type: 'Synchronization' }).toArray();
    expect(jobs).toHaveLength(1);
    // The run did what the preview said: 2 + 3 inserted, 1 modified, 5 failed, counter for counter.
    expect(jobs[0]?.counters).toMatchObject({ inserted: 5, modified: 1, failed: 5 });
    const stored = await h.db.db.collection('syncPreviews').findOne({});
    expect(jobs[0]?.counters).toEqual(stored?.counters);
    expect(text(await h.say('show customer 50000'))).toMatch(/Coupled to account Relecloud/);
  });

  it('is a manager’s, like the full synchronization itself', async () => {
    const turn = await preview('sync customers all preview', BEN);
    expect(text(turn)).toMatch(/Only managers can run a full synchronization of a table mapping/);
    expect(await h.db.db.collection('syncPreviews').countDocuments()).toBe(0);
  });
});

describe('sync customers modified preview', () => {
  it('is open to everyone, but only a manager can run it for real', async () => {
    await coupleAdatum();
    await h.say('sandbox edit account "Adatum Corporation" telephone1="+1 425 555 0199"', ADA);
    const p = await preview('sync customers modified preview', BEN);
    expect(text(p)).toMatch(
      /Synchronize Modified Records · Bidirectional · by Ben User[\s\S]*Would be modified in Business Central: 1\n10000 Adatum Corporation\nPhone No\.: .* → \+1 425 555 0199/,
    );
    const before = await store();
    const refused = await run(p, BEN);
    expect(cardText(refused.card)).toMatch(
      /Only managers can run Synchronize Modified Records from a preview/,
    );
    await h.settle();
    expect(await store()).toEqual(before);

    await run(p, ADA);
    await h.settle();
    expect(text(await h.say('show customer 10000'))).toMatch(/Phone No\.: \+1 425 555 0199/);
  });

  it('refuses to run when a record changed since the preview, naming it, and starts nothing', async () => {
    await coupleAdatum();
    await h.say('sandbox edit customer 10000 phone="+1 425 555 0111"', ADA);
    const p = await preview('sync customers modified preview');
    await h.say('sandbox edit customer 10000 phone="+1 425 555 0122"', ADA);
    const before = await store();
    const refused = await run(p);
    expect(cardText(refused.card)).toMatch(
      /Nothing was started: since the preview, 1 record changed since the preview: 10000\. Preview again: sync customer modified preview/,
    );
    await h.settle();
    expect(await store()).toEqual(before);
  });

  it('refuses to run when the mapping’s settings changed, saying from what to what', async () => {
    await coupleAdatum();
    await h.say('sandbox edit customer 10000 phone="+1 425 555 0111"', ADA);
    const p = await preview('sync customers modified preview');
    await h.say('mapping customers direction to-dataverse', ADA);
    const refused = await run(p);
    expect(cardText(refused.card)).toMatch(
      /since the preview, the mapping's direction changed from Bidirectional to ToIntegrationTable/,
    );
    expect(await h.db.db.collection('jobs').countDocuments({ type: 'Synchronization' })).toBe(0);
  });

  it('runs once: a second click says who ran it and starts nothing', async () => {
    await coupleAdatum();
    const p = await preview('sync customers modified preview');
    await run(p);
    await h.settle();
    const again = await run(p);
    expect(cardText(again.card)).toMatch(
      /This preview was already run by Ada Manager at \d\d:\d\d UTC\. Nothing new was started/,
    );
    await h.settle();
    expect(await h.db.db.collection('jobs').countDocuments({ type: 'Synchronization' })).toBe(1);
  });

  it('expires after an hour', async () => {
    const p = await preview('sync customers modified preview');
    h.clock.advanceHours(2);
    const late = await run(p);
    expect(cardText(late.card)).toMatch(
      /This preview is no longer available \(previews are kept for an hour\)\. Nothing was started; preview again: sync customer modified preview/,
    );
    expect(await h.db.db.collection('jobs').countDocuments({ type: 'Synchronization' })).toBe(0);
  });
});

describe('uncouple all customers preview', () => {
  it('counts the couplings Delete Couplings would remove, with examples, and Run for real removes them', async () => {
    await coupleAdatum();
    await h.say('couple customer 40000 to account "Contoso Pharmaceuticals"', ADA);
    const p = await preview('uncouple all customers preview');
    expect(text(p)).toMatch(
      /^Preview of CUSTOMER\nDelete Couplings · by Ada Manager[\s\S]*2 couplings would be deleted; the records themselves stay\.\nWould be uncoupled: 2\n(10000 Adatum Corporation|40000 Alpine Ski House)/,
    );
    const running = await run(p);
    expect(cardText(running.card)).toMatch(/^Uncoupling of CUSTOMER[\s\S]*Running…/);
    await h.settle();
    const done = h.adapter.updates.filter((u) => u.id === p.id).at(-1);
    expect(cardText(cardOf(done))).toMatch(
      /^Delete Couplings: CUSTOMER[\s\S]*2 couplings of table mapping CUSTOMER were deleted/,
    );
    expect(await h.db.db.collection('couplings').countDocuments()).toBe(0);
  });

  it('refuses to run when the couplings changed since the preview', async () => {
    await coupleAdatum();
    const p = await preview('uncouple all customers preview');
    await h.say('couple customer 40000 to account "Contoso Pharmaceuticals"', ADA);
    const refused = await run(p);
    expect(cardText(refused.card)).toMatch(/since the preview, the couplings of CUSTOMER went from 1 to 2/);
    expect(await h.db.db.collection('couplings').countDocuments()).toBe(2);
  });

  it('is refused while a synchronization holds the mapping, and stays runnable once it is free', async () => {
    await coupleAdatum();
    const p = await preview('uncouple all customers preview');
    const jobs = createJobRepository({ db: h.db.db, clock: h.clock });
    const locks = createRunLocks({
      db: h.db.db,
      clock: h.clock,
      owner: 'other-host:4242',
      leaseMs: 60_000,
      jobs,
    });
    const lease = await locks.acquire('CUSTOMER', 'Ada Manager');
    const refused = await run(p);
    expect(String(refused.body?.value)).toMatch(/^Synchronization of CUSTOMER is already running since /);
    expect(await h.db.db.collection('couplings').countDocuments()).toBe(1);
    await lease.release();

    const running = await run(p);
    expect(cardText(running.card)).toMatch(/^Uncoupling of CUSTOMER[\s\S]*Running…/);
    await h.settle();
    expect(await h.db.db.collection('couplings').countDocuments()).toBe(0);
  });

  it('is a manager’s', async () => {
    const turn = await preview('uncouple all customers preview', BEN);
    expect(text(turn)).toMatch(/Only managers can delete all couplings of a table mapping/);
  });
});

describe('bad input to previews changes nothing', () => {
  it.each([
    ['sync widgets all preview', /widgets/],
    ['uncouple all widgets preview', /widgets|mapping/i],
  ])('%s is refused with a hint', async (command, answer) => {
    const turn = await preview(command);
    expect(text(turn)).toMatch(answer);
    expect(await h.db.db.collection('syncPreviews').countDocuments()).toBe(0);
  });

  it.each([
    ['not a preview id', { previewId: 'CUSTOMER' }, /This card’s data was changed or comes from elsewhere/],
    [
      'an operator object',
      { previewId: { $ne: null } },
      /This card’s data was changed or comes from elsewhere/,
    ],
    // The card's sealed data cannot name another preview; core refuses an unknown id too (core tests).
    [
      'another preview’s id',
      { previewId: '0b9f8e7d-6c5b-4a39-8271-605f4e3d2c1b' },
      /This card’s data was changed or comes from elsewhere/,
    ],
  ])('Run for real with %s is refused', async (_what, data, answer) => {
    await coupleAdatum();
    const p = await preview('sync customers modified preview');
    const before = await store();
    const b = button(p.card, 'Run for real');
    const turn = await h.click({ ...b, data: { ...b.data, ...data } }, p.id, {}, ADA);
    expect(cardText(turn.card)).toMatch(answer);
    await h.settle();
    expect(await store()).toEqual(before);
  });
});

describe('a slow preview', () => {
  it('answers at once that it is computing, then sends the preview card as a message', async () => {
    const slow = await startSyncHarness({ env: { MATCH_PROGRESS_AFTER_MS: '0' } });
    try {
      await freshSandbox(slow);
      const from = slow.adapter.sent.length;
      const turn = await slow.say('sync customers modified preview', ADA);
      expect(text(turn)).toBe(
        'Computing the preview of CUSTOMER… it follows as a message when it is ready. Nothing is written meanwhile.',
      );
      await slow.bot.services.match.background.idle();
      const later = slow.sentTo(personalChat(ADA), from).map((a) => cardText(a.attachments?.[0]?.content));
      expect(later.join('\n')).toMatch(/^Preview of CUSTOMER\nSynchronize Modified Records · Bidirectional/m);
    } finally {
      await slow.close();
    }
  });
});

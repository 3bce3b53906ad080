import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../../connectors/sandbox/generator.js';
import { button, cardOf, cardText } from '../../support/bot-harness.js';
import { ADA } from '../teams-activity.js';
import { freshSandbox, startSyncHarness, type SyncHarness } from './harness.js';

/** Customers coupled by a full synchronization, then uncoupled 10 at a time. */
const CUSTOMERS = 300;

let h: SyncHarness;
beforeAll(async () => {
  // The job's card shows its counters after 20 ms and every 20 ms (2 s and 4 s in production).
  h = await startSyncHarness({
    env: { SYNC_INTERVAL_MINUTES: '0' },
    progress: { afterMs: 20, everyMs: 20 },
    syncBatchSize: 10,
  });
});
afterAll(() => h.close());
beforeEach(async () => {
  await freshSandbox(h);
  await generateSynthetic(h.db.db, { customers: CUSTOMERS, accounts: 0, clock: h.clock });
  await h.say('mapping customers sync-only-coupled off', ADA);
  await h.say('sync customers all', ADA);
  await h.settle();
});

const couplings = () => h.db.db.collection('couplings').countDocuments({ mapping: 'CUSTOMER' });

/** "120 of 300 couplings (40%) · uncoupled 120" off a running card's text. */
function uncouplingProgress(text: string): { done: number; total: number; percent: number } {
  const m = /(\d[\d,]*) of (\d[\d,]*) couplings \((\d+)%\) · uncoupled (\d[\d,]*)/.exec(text);
  if (!m) throw new Error(`no progress line on the card:\n${text}`);
  const [done, total, percent, uncoupled] = m.slice(1).map((s) => Number(s.replace(/,/g, '')));
  expect(uncoupled).toBe(done);
  return { done: done ?? NaN, total: total ?? NaN, percent: percent ?? NaN };
}

describe('live progress of Delete Couplings for a whole mapping (sandbox)', () => {
  it('the confirmed card becomes the running card, moves in place with a rising percentage, then shows the outcome', async () => {
    const before = await couplings();
    expect(before).toBeGreaterThanOrEqual(CUSTOMERS);
    const confirm = await h.say('uncouple all customers', ADA);
    const sentBefore = h.adapter.sent.length;
    const running = await h.click(button(confirm.card, 'Delete Couplings'), confirm.id, {}, ADA);
    expect(cardText(running.card)).toMatch(
      /^Uncoupling of CUSTOMER[\s\S]*Started by: Ada Manager[\s\S]*Running…/,
    );
    await h.settle();

    const history = h.adapter.updates.filter((u) => u.id === confirm.id).map((u) => cardText(cardOf(u)));
    const moving = history.slice(0, -1).map(uncouplingProgress);
    expect(moving.length).toBeGreaterThan(0);
    for (const p of moving) expect(p.total).toBe(before);
    const percents = moving.map((p) => p.percent);
    expect(percents.every((p) => p >= 0 && p < 100)).toBe(true);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    const done = moving.map((p) => p.done);
    expect(new Set(done).size).toBe(done.length); // only a change updates the card
    expect(history.at(-1)).toMatch(
      new RegExp(
        `^Delete Couplings: CUSTOMER[\\s\\S]*${before} couplings of table mapping CUSTOMER were deleted`,
      ),
    );
    expect(history.at(-1)).toContain(`Type Uncoupling · Finished · Uncoupled ${before}`);
    expect(await couplings()).toBe(0);
    expect(h.adapter.sent.length).toBe(sentBefore); // the card was updated: no new message
    // The outcome offers Undo, as it did when the job ran inside the turn.
    const result = cardOf(h.adapter.updates.filter((u) => u.id === confirm.id).at(-1));
    expect(button(result, 'Undo').verb).toBeTruthy();
  });
});

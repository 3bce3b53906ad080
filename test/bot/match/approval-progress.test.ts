import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../../connectors/sandbox/generator.js';
import { button, cardOf, cardText } from '../../support/bot-harness.js';
import { freshSandbox, startSyncHarness, type SyncHarness } from '../sync/harness.js';
import { ADA } from '../teams-activity.js';
import { inputsOf } from './support/match-harness.js';

/** Customers with an account of the same name each: every one is a proposal. */
const CUSTOMERS = 240;

let h: SyncHarness;
beforeAll(async () => {
  // Every decision answers with its progress card; the card shows the counters after 20 ms and every
  // 20 ms (2 s and 4 s in production); the run is stored, and applied, 10 rows a page.
  h = await startSyncHarness({
    env: { SYNC_INTERVAL_MINUTES: '0', MATCH_PROGRESS_AFTER_MS: '0' },
    progress: { afterMs: 20, everyMs: 20 },
    matchStoredPageSize: 10,
  });
});
afterAll(() => h.close());
beforeEach(async () => {
  await freshSandbox(h);
  await h.db.db.collection('bc.customer').deleteMany({});
  await h.db.db.collection('dv.account').deleteMany({});
  await generateSynthetic(h.db.db, {
    customers: CUSTOMERS,
    accounts: CUSTOMERS,
    overlap: { exact: 1 },
    clock: h.clock,
  });
});

/** "120 of 240 records (50%) · coupled 120 (0 created) · …" off a progress card's text. */
function applied(text: string): { done: number; total: number; percent: number } {
  const m = /(\d[\d,]*) of (\d[\d,]*) records \((\d+)%\) · coupled (\d[\d,]*)/.exec(text);
  if (!m) throw new Error(`no progress line on the card:\n${text}`);
  const [done, total, percent, coupled] = m.slice(1).map((s) => Number(s.replace(/,/g, '')));
  expect(coupled).toBe(done);
  return { done: done ?? NaN, total: total ?? NaN, percent: percent ?? NaN };
}

describe('live progress of a match approval (sandbox)', () => {
  it('Approve all: the progress card counts the rows applied in place, then the result replaces it', async () => {
    const criteria = await h.say('match customers', ADA);
    await h.click(button(criteria.card, 'Run'), criteria.id, inputsOf(criteria.card), ADA);
    await h.settle();
    const results = cardOf(h.adapter.updates.filter((u) => u.id === criteria.id).at(-1));
    expect(cardText(results)).toMatch(new RegExp(`Proposed: ${CUSTOMERS}`));
    const before = h.adapter.updates.length;
    const sentBefore = h.adapter.sent.length;

    const progress = await h.click(button(results, 'Approve all'), criteria.id, {}, ADA);
    expect(cardText(progress.card)).toMatch(/Applying the decision on the match run…/);
    await h.settle();

    const mine = h.adapter.updates.slice(before).filter((u) => u.id === criteria.id);
    const moving = mine.slice(0, -1).map((u) => applied(cardText(cardOf(u))));
    expect(moving.length).toBeGreaterThan(1);
    for (const p of moving) expect(p.total).toBe(CUSTOMERS);
    const percents = moving.map((p) => p.percent);
    expect(percents.every((p) => p >= 0 && p < 100)).toBe(true);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(new Set(moving.map((p) => p.done)).size).toBe(moving.length); // only a change updates it
    expect(cardText(cardOf(mine.at(-1)))).toMatch(
      new RegExp(`Approved by Ada Manager at .*: ${CUSTOMERS} coupled`),
    );
    expect(h.adapter.sent.length).toBe(sentBefore); // the card was updated: no new message
    expect(await h.db.db.collection('couplings').countDocuments({ mapping: 'CUSTOMER' })).toBe(CUSTOMERS);
  });
});

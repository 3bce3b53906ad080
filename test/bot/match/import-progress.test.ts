import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cardOf, cardText } from '../../support/bot-harness.js';
import { freshSandbox, startSyncHarness, type SyncHarness } from '../sync/harness.js';
import { ADA } from '../teams-activity.js';

/** 4,000 rows: four chunks of 1,000 creates, so the Import job's card has somewhere to move. */
const ROWS = 4_000;
const CSV = `name\n${Array.from({ length: ROWS }, (_, i) => `Imported Account ${i + 1}`).join('\n')}\n`;

let h: SyncHarness;
beforeAll(async () => {
  // A progress card at once; the running card shows its counters after 20 ms and every 20 ms.
  h = await startSyncHarness({
    env: { SYNC_INTERVAL_MINUTES: '0', MATCH_PROGRESS_AFTER_MS: '0' },
    progress: { afterMs: 20, everyMs: 20 },
  });
});
afterAll(() => h.close());
beforeEach(() => freshSandbox(h));

const accounts = () => h.db.db.collection('dv.account').countDocuments();

/** "2,000 of 4,000 records (50%)" off a running card's text. */
function importProgress(text: string): { done: number; total: number; percent: number } {
  const m = /(\d[\d,]*) of (\d[\d,]*) records \((\d+)%\)/.exec(text);
  if (!m) throw new Error(`no progress line on the card:\n${text}`);
  const [done, total, percent] = m.slice(1).map((s) => Number(s.replace(/,/g, '')));
  return { done: done ?? NaN, total: total ?? NaN, percent: percent ?? NaN };
}

describe('live progress of import accounts', () => {
  it('answers with the Import job’s running card, moves it in place, then shows the report on it', async () => {
    const before = await accounts();
    const sentBefore = h.adapter.sent.length;
    const running = await h.sayWith(
      'import accounts',
      [{ contentType: 'text/csv', name: 'big.csv', content: CSV }],
      ADA,
    );
    expect(cardText(running.card)).toMatch(
      /^Import of CUSTOMER[\s\S]*Started by: Ada Manager[\s\S]*Running…/,
    );
    await h.settle();

    const history = h.adapter.updates.filter((u) => u.id === running.id).map((u) => cardText(cardOf(u)));
    const moving = history.slice(0, -1).map(importProgress);
    expect(moving.length).toBeGreaterThan(0);
    for (const p of moving) expect(p.total).toBe(ROWS);
    const percents = moving.map((p) => p.percent);
    expect(percents.every((p) => p >= 0 && p < 100)).toBe(true);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(history.at(-1)).toMatch(new RegExp(`${ROWS} (rows )?(inserted|imported)`));
    // The card moved; nothing new was sent to the chat.
    expect(h.adapter.sent.slice(sentBefore).filter((a) => a.id !== running.id)).toHaveLength(0);
    expect(await accounts()).toBe(before + ROWS);
  });

  it('a small file still answers with its report in the turn when it is done at once', async () => {
    const quick = await startSyncHarness({ env: { SYNC_INTERVAL_MINUTES: '0' } });
    try {
      await freshSandbox(quick);
      const answer = await quick.sayWith(
        'import accounts',
        [{ contentType: 'text/csv', name: 'two.csv', content: 'name\nFirst Import\nSecond Import\n' }],
        ADA,
      );
      expect(cardText(answer.card)).not.toMatch(/Running…/);
      expect(cardText(answer.card)).toMatch(/two\.csv/);
    } finally {
      await quick.close();
    }
  });
});

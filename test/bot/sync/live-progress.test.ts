import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../../connectors/sandbox/generator.js';
import { cardOf, cardText } from '../../support/bot-harness.js';
import { ADA } from '../teams-activity.js';
import { freshSandbox, startSyncHarness, type SyncHarness } from './harness.js';
import { chartsOf, progressOf } from './progress-support.js';

/** Customers a full synchronization creates in Dataverse, in batches of 40. */
const CUSTOMERS = 400;

let h: SyncHarness;
beforeAll(async () => {
  // The job's card shows its counters after 50 ms and every 50 ms (2 s and 4 s in production).
  h = await startSyncHarness({
    env: { SYNC_INTERVAL_MINUTES: '0' },
    progress: { afterMs: 50, everyMs: 50 },
    syncBatchSize: 40,
  });
});
afterAll(() => h.close());
beforeEach(async () => {
  await freshSandbox(h);
  await generateSynthetic(h.db.db, { customers: CUSTOMERS, accounts: 0, clock: h.clock });
});

/** Every state the card of message `id` went through after it was sent, as text. */
const cardHistory = (id: string | undefined) =>
  h.adapter.updates.filter((u) => u.id === id).map((u) => cardText(cardOf(u)));

describe('live progress of a long job (sandbox)', () => {
  it('the running card moves in place with the counters, then shows the result; no new message is sent', async () => {
    await h.say('mapping customers sync-only-coupled off', ADA);
    const sentBefore = h.adapter.sent.length;
    const running = await h.say('sync customers all', ADA);
    await h.settle();
    const history = cardHistory(running.id);
    const moving = history.slice(0, -1).map(progressOf);
    expect(moving.length).toBeGreaterThan(0);
    // The sandbox cannot count its tables: the card counts what is done, without a percentage.
    for (const p of moving) expect(p.total).toBeNull();
    const done = moving.map((p) => p.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(new Set(done).size).toBe(done.length);
    expect(history.at(-1)).toMatch(/^Synchronization of CUSTOMER/);
    const job = await h.db.db.collection('jobs').findOne({ status: 'Finished' });
    const inserted = (job?.['counters'] as { inserted: number }).inserted;
    expect(inserted).toBeGreaterThanOrEqual(CUSTOMERS);
    expect(history.at(-1)).toContain(`Inserted ${inserted} ·`);
    expect(h.adapter.sent.length - sentBefore).toBe(1); // the running card itself
  });

  it('where the card cannot be updated, progress sends nothing: the result alone arrives as a new message', async () => {
    await h.say('mapping customers sync-only-coupled off', ADA);
    const sentBefore = h.adapter.sent.length;
    h.adapter.failUpdates = true;
    try {
      await h.say('sync customers all', ADA);
      await h.settle();
    } finally {
      h.adapter.failUpdates = false;
    }
    const sent = h.adapter.sent.slice(sentBefore).map((a) => cardText(cardOf(a)));
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatch(/Running…/);
    expect(sent[1]).toMatch(/^Synchronization of CUSTOMER/);
    expect(h.logs().filter((l) => l['msg'] === 'progress not shown on a copy').length).toBeGreaterThan(0);
  });

  it('a full synchronization of coupled records shows a rising percentage of them', async () => {
    await h.say('mapping customers sync-only-coupled off', ADA);
    await h.say('sync customers all', ADA);
    await h.settle();
    await h.say('mapping customers sync-only-coupled on', ADA);
    const running = await h.say('sync customers all', ADA);
    await h.settle();
    const history = cardHistory(running.id);
    const moving = history.slice(0, -1).map(progressOf);
    expect(moving.length).toBeGreaterThan(0);
    // Every coupling: the generated customers and the demo data's own coupled ones.
    const coupled = await h.db.db.collection('couplings').countDocuments({ mapping: 'CUSTOMER' });
    for (const p of moving) expect(p.total).toBe(coupled);
    const percents = moving.map((p) => p.percent ?? -1);
    expect(percents.every((p) => p >= 0 && p < 100)).toBe(true);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(history.at(-1)).toContain(`Unchanged ${coupled} ·`);
    // The result card charts the outcome split.
    const result = cardOf(h.adapter.updates.filter((u) => u.id === running.id).at(-1));
    expect(chartsOf(result, 'Chart.Donut')).toEqual([
      { title: 'Outcome', data: [{ legend: 'Unchanged', value: coupled, color: 'neutral' }] },
    ]);

    // status charts the mapping's runs, oldest first: the one that inserted, then the one that found no change.
    const runs = await h.db.db
      .collection('jobs')
      .find({ mapping: 'CUSTOMER' })
      .sort({ startedAt: 1 })
      .toArray();
    const counters = runs.map((j) => j['counters'] as Record<string, number>);
    const [chart, ...others] = chartsOf(
      (await h.say('status customers', ADA)).card,
      'Chart.VerticalBar.Grouped',
    );
    expect(others).toEqual([]);
    expect(chart?.['title']).toBe('CUSTOMER · last 2 runs');
    const series = chart?.['data'] as Array<{ legend: string; values: Array<{ y: number }> }>;
    expect(series.map((s) => [s.legend, s.values.map((v) => v.y)])).toEqual([
      ['Inserted', counters.map((c) => c['inserted'])],
      ['Modified', [0, 0]],
      ['Failed', counters.map((c) => c['failed'])],
    ]);
    expect(counters[0]?.['inserted']).toBeGreaterThanOrEqual(CUSTOMERS);
  });
});

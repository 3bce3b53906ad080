import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardOf, cardText } from '../../support/bot-harness.js';
import { ensureIndexes } from '../../../core/store/indexes.js';
import { FAST_RETRY, startHarness, type Harness } from '../../kit/loopback/harness.js';
import { startSyncHarness, type SyncHarness } from '../../bot/sync/harness.js';
import { chartsOf, progressOf } from '../../bot/sync/progress-support.js';
import { ADA } from '../../bot/teams-activity.js';
import { httpEnv } from './http-bot.js';
import { BC_CUSTOMERS, seedFakes } from './seed-fakes.js';

/** Customers only Business Central has: the fakes answer 3 rows a page, so this is 20 pages of work. */
const NEW_CUSTOMERS = 60;

/**
 * Live progress over the real HTTP connectors against the loopback Business Central and Dataverse: the
 * job counts both tables ($count, RetrieveTotalRecordCount) to know what it has ahead of it.
 */
let fakes: Harness;
let h: SyncHarness;
beforeAll(async () => {
  fakes = await startHarness();
  seedFakes(fakes.bc, fakes.dv);
  const [template] = BC_CUSTOMERS;
  fakes.bc.seed(
    'customers',
    Array.from({ length: NEW_CUSTOMERS }, (_, i) => ({
      ...template,
      number: `C${String(i).padStart(5, '0')}`,
      displayName: `Progress Customer ${i}`,
      email: `buyer${i}@progress.example`,
    })),
  );
  h = await startSyncHarness({
    env: { SYNC_INTERVAL_MINUTES: '0', ...httpEnv(fakes) },
    http: { fetch: fakes.fetch, httpRetry: FAST_RETRY },
    progress: { afterMs: 50, everyMs: 50 },
  });
  await ensureIndexes(h.db.db);
});
afterAll(async () => {
  await h.close();
  await fakes.close();
});

describe('live progress of a long job (HTTP connectors)', () => {
  it('the running card shows a rising percentage in place, then the result with its outcome chart', async () => {
    await h.say('mapping customers sync-only-coupled off', ADA);
    // Every request takes a little while, as it does against the real services.
    fakes.bc.behaviour.latencyMs = 3;
    fakes.dv.behaviour.latencyMs = 3;
    const sentBefore = h.adapter.sent.length;
    const running = await h.say('sync customers all', ADA);
    await h.settle();
    fakes.bc.behaviour.latencyMs = 0;
    fakes.dv.behaviour.latencyMs = 0;

    const states = h.adapter.updates.filter((u) => u.id === running.id).map((u) => cardOf(u));
    const moving = states.slice(0, -1).map((c) => progressOf(cardText(c)));
    expect(moving.length).toBeGreaterThan(1);
    for (const p of moving) expect(p.total).toBeGreaterThanOrEqual(NEW_CUSTOMERS);
    const percents = moving.map((p) => p.percent ?? -1);
    expect(percents.every((p) => p >= 0 && p < 100)).toBe(true);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    const done = moving.map((p) => p.done);
    expect(new Set(done).size).toBe(done.length); // each update shows something new
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(h.adapter.sent.length - sentBefore).toBe(1); // the running card; everything else in place
    // The running card charts the split so far, in step with its progress line.
    const last = moving.at(-1)!;
    const [soFar] = chartsOf(states.at(-2), 'Chart.Donut');
    expect(soFar?.['title']).toBe('Outcome so far');
    const sliceOf = (legend: string) =>
      (soFar?.['data'] as Array<{ legend: string; value: number }>).find((s) => s.legend === legend)?.value ??
      0;
    expect([sliceOf('Inserted'), sliceOf('Failed')]).toEqual([last.inserted, last.failed]);

    const result = states.at(-1);
    const job = await h.db.db.collection('jobs').findOne({ mapping: 'CUSTOMER', status: 'Finished' });
    const counters = job?.['counters'] as Record<string, number>;
    expect(counters['inserted']).toBeGreaterThanOrEqual(NEW_CUSTOMERS);
    expect(cardText(result)).toContain(`Inserted ${counters['inserted']} ·`);
    const [donut] = chartsOf(result, 'Chart.Donut');
    const slices = donut?.['data'] as Array<{ legend: string; value: number }>;
    expect(slices.find((s) => s.legend === 'Inserted')?.value).toBe(counters['inserted']);
    const examined = ['inserted', 'modified', 'deleted', 'unchanged', 'skipped', 'failed'];
    expect(slices.reduce((n, sl) => n + sl.value, 0)).toBe(examined.reduce((n, k) => n + counters[k]!, 0));
  });
});

import { describe, expect, it } from 'vitest';
import { renderCard } from '../../cards/render.js';
import { emptyCounters } from '../../core/model/job.js';
import { parseCard } from './support/adaptive-dom.js';
import { ofType } from './support/walk.js';

const counters = { ...emptyCounters(), inserted: 120, modified: 40, failed: 2, unchanged: 900, coupled: 120 };
const at = new Date('2024-05-01T10:12:00Z');
const html = (card: unknown): string => {
  const { problems, element } = parseCard(card);
  expect(problems).toEqual([]);
  return (element as unknown as { textContent: string }).textContent;
};

describe('charts on cards (Teams draws them; other clients show text)', () => {
  it('a result card charts its outcome split as a donut; the counters stay as text', () => {
    const card = renderCard('syncResult', {
      mapping: 'CUSTOMER',
      direction: 'Merge data',
      by: 'Ada',
      at,
      counters,
      records: [],
    });
    expect(ofType(card, 'Chart.Donut')).toEqual([
      {
        type: 'Chart.Donut',
        title: 'Outcome',
        data: [
          { legend: 'Inserted', value: 120, color: 'good' },
          { legend: 'Modified', value: 40, color: 'categoricalBlue' },
          { legend: 'Unchanged', value: 900, color: 'neutral' },
          { legend: 'Failed', value: 2, color: 'attention' },
        ],
        fallback: 'drop',
      },
    ]);
    expect(html(card)).toContain(
      'Inserted 120 · Modified 40 · Deleted 0 · Unchanged 900 · Skipped 0 · Failed 2',
    );
  });

  it('a run that did nothing has no chart', () => {
    const card = renderCard('syncResult', {
      mapping: 'CUSTOMER',
      direction: 'Merge data',
      by: 'Ada',
      at,
      counters: emptyCounters(),
      records: [],
    });
    expect(ofType(card, 'Chart.Donut')).toEqual([]);
  });

  it('status charts each mapping’s last runs, stacked; a client without charts reads their sums', () => {
    const runs = [
      { label: '05-01 10:12', counters },
      { label: '05-02 10:12', counters: { ...counters, inserted: 0, failed: 5 } },
    ];
    const card = renderCard('jobs', {
      scope: 'all table mappings',
      jobs: [],
      charts: [{ mapping: 'CUSTOMER', runs }],
    });
    const [chart, ...more] = ofType(card, 'Chart.VerticalBar.Grouped');
    expect(more).toEqual([]);
    expect(chart).toMatchObject({ title: 'CUSTOMER · last 2 runs', stacked: true });
    expect(chart?.['data']).toEqual([
      {
        legend: 'Inserted',
        color: 'good',
        values: [
          { x: '05-01 10:12', y: 120 },
          { x: '05-02 10:12', y: 0 },
        ],
      },
      {
        legend: 'Modified',
        color: 'categoricalBlue',
        values: [
          { x: '05-01 10:12', y: 40 },
          { x: '05-02 10:12', y: 40 },
        ],
      },
      {
        legend: 'Failed',
        color: 'attention',
        values: [
          { x: '05-01 10:12', y: 2 },
          { x: '05-02 10:12', y: 5 },
        ],
      },
    ]);
    expect(html(card)).toContain('CUSTOMER, last 2 runs: inserted 120 · modified 80 · failed 7');
  });

  it('the running card shows its progress line once the job moved', () => {
    const data = {
      jobId: 'j',
      mapping: 'CUSTOMER',
      type: 'Synchronization' as const,
      startedAt: at,
      startedBy: 'Ada',
    };
    const progress = '1,240 of 10,000 records (12%) · inserted 238 · modified 1,000 · failed 2';
    expect(html(renderCard('jobRunning', { ...data, progress }))).toContain(progress);
    expect(html(renderCard('jobRunning', data))).not.toContain('records');
  });

  it('the running card charts the outcome split so far; nothing before the first record', () => {
    const data = {
      jobId: 'j',
      mapping: 'CUSTOMER',
      type: 'Synchronization' as const,
      startedAt: at,
      startedBy: 'Ada',
    };
    const moving = renderCard('jobRunning', { ...data, progress: '162 records so far', counters });
    expect(ofType(moving, 'Chart.Donut').map((c) => [c['title'], (c['data'] as unknown[]).length])).toEqual([
      ['Outcome so far', 4],
    ]);
    expect(ofType(renderCard('jobRunning', { ...data, counters: emptyCounters() }), 'Chart.Donut')).toEqual(
      [],
    );
    expect(html(moving)).toContain('162 records so far');
  });
});

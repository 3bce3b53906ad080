import { z } from 'zod';
import { JobCounters } from '../../core/model/job.js';
import { Id, ShortText } from './common.js';

/**
 * Data for the chart elements Teams renders in cards (Chart.Donut, Chart.VerticalBar.Grouped). Other
 * clients do not know them and take each chart's `fallback`: the text the card shows anyway.
 */

/** The outcomes a chart shows, with the Adaptive Card chart colours that read as their meaning. */
const OUTCOMES: ReadonlyArray<{ key: keyof JobCounters; legend: string; color: string }> = [
  { key: 'inserted', legend: 'Inserted', color: 'good' },
  { key: 'modified', legend: 'Modified', color: 'categoricalBlue' },
  { key: 'deleted', legend: 'Deleted', color: 'warning' },
  { key: 'unchanged', legend: 'Unchanged', color: 'neutral' },
  { key: 'skipped', legend: 'Skipped', color: 'categoricalMarigold' },
  { key: 'failed', legend: 'Failed', color: 'attention' },
];

/** A job's outcome split for Chart.Donut: one slice per outcome that happened (none for an empty run). */
export const outcomeSlices = (c: JobCounters): Array<{ legend: string; value: number; color: string }> =>
  OUTCOMES.filter((o) => c[o.key] > 0).map((o) => ({ legend: o.legend, value: c[o.key], color: o.color }));

/** What the runs chart compares, run by run. */
const RUN_SERIES = OUTCOMES.filter((o) => ['inserted', 'modified', 'failed'].includes(o.key));

/** The last runs of one mapping, oldest first, as a stacked Chart.VerticalBar.Grouped with a text fallback. */
export const RunsChart = z
  .object({
    mapping: Id,
    runs: z
      .array(z.object({ label: ShortText, counters: JobCounters }))
      .min(1)
      .max(10),
  })
  .transform(({ mapping, runs }) => {
    const sum = (key: keyof JobCounters) => runs.reduce((n, r) => n + r.counters[key], 0);
    const last = runs.length === 1 ? 'last run' : `last ${runs.length} runs`;
    return {
      title: `${mapping} · ${last}`,
      series: RUN_SERIES.map((s) => ({
        legend: s.legend,
        color: s.color,
        values: runs.map((r) => ({ x: r.label, y: r.counters[s.key] })),
      })),
      summary:
        `${mapping}, ${last}: ` +
        RUN_SERIES.map((s) => `${s.legend.toLowerCase()} ${sum(s.key).toLocaleString('en-US')}`).join(' · '),
    };
  });
export type RunsChart = z.input<typeof RunsChart>;

import type { RunsChart } from '../../cards/index.js';
import type { Job } from '../../core/model/job.js';
import type { BotServices } from '../services.js';

/** Runs per mapping the status card charts, and mappings charted at most (the card stays small). */
export const CHARTED_RUNS = 10;
export const CHARTED_MAPPINGS = 12;

/** "05-01 10:12" (UTC); a second run in the same minute is told apart ("05-01 10:12 #2"). */
function labels(jobs: readonly Job[]): string[] {
  const seen = new Map<string, number>();
  return jobs.map((j) => {
    const label = j.startedAt.toISOString().slice(5, 16).replace('T', ' ');
    const n = (seen.get(label) ?? 0) + 1;
    seen.set(label, n);
    return n === 1 ? label : `${label} #${n}`;
  });
}

/**
 * The last synchronization runs of each mapping in scope (all mappings, or the one named), oldest first:
 * what the status card charts as inserted / modified / failed per run. Mappings never synchronized are left out.
 */
export async function runsCharts(
  services: Pick<BotServices, 'jobs' | 'mappings'>,
  mapping?: string,
): Promise<RunsChart[]> {
  const names = mapping ? [mapping] : (await services.mappings.list()).map((m) => m.name);
  const charts: RunsChart[] = [];
  for (const name of names.slice(0, CHARTED_MAPPINGS)) {
    const recent = await services.jobs.listRecent({
      mapping: name,
      type: 'Synchronization',
      limit: CHARTED_RUNS,
    });
    if (recent.length === 0) continue;
    const runs = [...recent].reverse();
    const x = labels(runs);
    charts.push({ mapping: name, runs: runs.map((j, i) => ({ label: x[i] ?? '', counters: j.counters })) });
  }
  return charts;
}

import type { Actor } from '../model/actor.js';
import { requireAvailable } from '../mappings/availability.js';
import type { SyncAfterCoupling } from '../model/mapping.js';
import { applyPage, type PageContext } from './apply-page.js';
import type { MatchDeps } from './match-deps.js';
import type { AppliedCounters, MatchRun, RowResult } from './run-documents.js';

export interface ApplyOutcome {
  run: MatchRun;
  jobId: string;
  /**
   * The pairs coupled by this run. With Synchronize After Coupling other than 'No', the caller hands
   * them to the synchronization (which side wins: `syncAfterCoupling`); matching never synchronizes.
   */
  coupled: Array<{ bcId: string; dvId: string }>;
  syncAfterCoupling: SyncAfterCoupling;
}

const summary = (a: AppliedCounters): string =>
  `Coupled ${a.coupled} records (${a.created} created in Dataverse); ${a.skipped} skipped; ${a.failed} failed.`;

/** What a caller may hear of an apply in progress. */
export interface ApplyHooks {
  /** The Coupling job exists and knows its total: a caller can follow its counters from here on. */
  onStarted?: (jobId: string) => void;
}

function tally(results: Iterable<RowResult | undefined>, into: AppliedCounters): void {
  for (const r of results) if (r) into[r.status] += 1;
}

/**
 * Applies an approved run page by page (the run is Applying and this process holds its lease). Only the
 * pages holding proposals are read: rows are stored grouped by kind with proposals first. A page's results
 * are saved with the page, so a resumed run skips what is done. The run becomes a job of Type Coupling.
 */
export async function applyRun(
  deps: MatchDeps,
  run: MatchRun,
  actor: Actor,
  options: { freshJob?: boolean } & ApplyHooks = {},
): Promise<ApplyOutcome> {
  const mapping = requireAvailable(deps, await deps.mappings.get(run.mapping));
  let jobId = run.jobId;
  if (jobId === null || options.freshJob) {
    jobId = await deps.jobs.start({
      mapping: mapping.name,
      type: 'Coupling',
      direction: '',
      startedBy: actor.name,
      startedById: actor.id,
      message: `Match-based coupling, run ${run.id}`,
    });
    await deps.runs.setJob(run.id, jobId);
  }
  const ctx: PageContext = {
    deps,
    run,
    mapping,
    actor,
    jobId,
    selected: run.decision === 'selected' ? new Set(run.selectedRowIds) : null,
  };
  const sections = run.sections.filter((s) => s.kind === 'proposed' || s.kind === 'wouldCreate');
  const approvable = sections.reduce((end, s) => Math.max(end, s.start + s.count), 0);
  // The rows being applied (each ends coupled, skipped or failed): the job's progress is counted in them.
  const rows = ctx.selected ? ctx.selected.size : sections.reduce((sum, s) => sum + s.count, 0);
  await deps.jobs.setTotal(jobId, rows);
  options.onStarted?.(jobId);
  const totals: AppliedCounters = { coupled: 0, created: 0, skipped: 0, failed: 0 };
  const coupled: ApplyOutcome['coupled'] = [];
  try {
    for (let p = 0; p * run.pageSize < approvable; p++) {
      const page = await deps.runs.page(run.id, p);
      if (!page) continue;
      if (page.appliedAt === null) {
        const { results, created } = await applyPage(ctx, page);
        await deps.runs.savePageResults(run.id, p, results, deps.clock.now());
        results.forEach((r, i) => ((page.rows[i] as (typeof page.rows)[number]).result = r));
        const pageTotals: AppliedCounters = { coupled: 0, created, skipped: 0, failed: 0 };
        tally(results.values(), pageTotals);
        await deps.jobs.incrementCounters(jobId, {
          coupled: pageTotals.coupled,
          inserted: created,
          skipped: pageTotals.skipped,
          failed: pageTotals.failed,
        });
        await deps.runs.renewLease(
          run.id,
          new Date(deps.clock.now().getTime() + (deps.leaseMinutes ?? 10) * 60_000),
        );
      }
      tally(
        page.rows.map((r) => r.result),
        totals,
      );
      totals.created += page.rows.filter((r) => r.createdDvId !== undefined).length;
      for (const r of page.rows) {
        if (r.result?.status === 'coupled' && r.result.dvId)
          coupled.push({ bcId: r.outcome.bc.id, dvId: r.result.dvId });
      }
    }
  } catch (e) {
    const cause = (e instanceof Error ? e.message : String(e)).replace(/[^.!?]$/, '$&.');
    const message = `Stopped after: ${summary(totals)} Cause: ${cause}`;
    await deps.runs.finish(run.id, 'Failed', totals, message).catch(() => undefined);
    await deps.jobs.finish(jobId, 'Failed', message).catch(() => undefined);
    throw e;
  }
  await deps.runs.finish(run.id, 'Approved', totals, summary(totals));
  await deps.jobs.finish(jobId, 'Finished', summary(totals));
  const final = (await deps.runs.get(run.id)) ?? run;
  return { run: final, jobId, coupled, syncAfterCoupling: run.criteria.syncAfterCoupling };
}

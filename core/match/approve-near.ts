import { z } from 'zod';
import { DomainError, ErrorCode } from '../errors.js';
import { requireAvailable } from '../mappings/availability.js';
import type { Actor } from '../model/actor.js';
import { filterString } from '../store/documents.js';
import { applyPage } from './apply-page.js';
import type { ApplyOutcome } from './apply-run.js';
import type { MatchDeps } from './match-deps.js';
import type { BcRef, NearCandidate } from './outcome.js';
import { effectiveStatus, loadRun, tooLate } from './read-run.js';
import { positionOf, type MatchRun, type RowPage, type StoredRow } from './run-documents.js';

/** The near pair a manager picked on the card (untrusted card data). */
export const NearPick = z.strictObject({
  rowId: z.string().min(3).max(150),
  dvId: z.string().min(1).max(100),
});

export interface NearApproved extends ApplyOutcome {
  bc: BcRef;
  candidate: NearCandidate;
  /** The pair was already coupled by an earlier click: nothing new happened. */
  already: boolean;
}

const refuse = (message: string) =>
  new DomainError(ErrorCode.InvalidInput, `${message} Nothing was changed.`);

/** The stored row the card names, and the candidate, both proven to belong to this run. */
async function locate(
  deps: MatchDeps,
  run: MatchRun,
  rowId: string,
  dvId: string,
): Promise<{ page: RowPage; index: number; row: StoredRow; candidate: NearCandidate }> {
  const position = positionOf(rowId);
  const page =
    position === null || position >= run.counts.total
      ? null
      : await deps.runs.page(run.id, Math.floor(position / run.pageSize));
  const index = page ? page.rows.findIndex((r) => r.rowId === rowId) : -1;
  const row = page?.rows[index];
  if (!page || !row) throw refuse(`"${rowId.slice(0, 60)}" is not a row of this match run.`);
  const o = row.outcome;
  const candidate =
    o.kind === 'noMatch' || o.kind === 'wouldCreate' ? o.near?.find((c) => c.dvId === dvId) : undefined;
  if (!candidate) throw refuse(`That row was not proposed as a near match of ${o.bc.number} in this run.`);
  return { page, index, row, candidate };
}

/**
 * Couples one near pair of a proposal (issue 15), manager only. The run stays Proposed: the exact
 * proposals still await Approve all / selected, which never apply near pairs. The pair is re-checked
 * (both records exist, neither is coupled, the Dataverse row is still inside the filter) and coupled the
 * way an approved match is (applyPage, origin match:<run>), so a double click couples it once and the
 * second click is told it is done.
 */
export async function approveNear(
  deps: MatchDeps,
  actor: Actor,
  runId: string,
  pick: unknown,
): Promise<NearApproved> {
  deps.roles.requireManager(actor, 'approve a near match');
  const id = filterString(runId, 'Match run id', 100);
  const parsed = NearPick.safeParse(pick);
  if (!parsed.success) throw refuse('Choose a near match from the card.');
  const run = await loadRun(deps, id);
  const now = deps.clock.now();
  if (effectiveStatus(run, now) !== 'Proposed') throw tooLate(run, now);
  const { page, index, row, candidate } = await locate(deps, run, parsed.data.rowId, parsed.data.dvId);
  const bc = row.outcome.bc;
  const done = (jobId: string, already: boolean): NearApproved => ({
    run,
    jobId,
    coupled: already ? [] : [{ bcId: bc.id, dvId: candidate.dvId }],
    syncAfterCoupling: run.criteria.syncAfterCoupling,
    bc,
    candidate,
    already,
  });
  if (row.nearApproved?.dvId === candidate.dvId) return done('', true);
  if (row.nearApproved)
    throw refuse(`${bc.number} was already coupled to its near match ${row.nearApproved.dvName}.`);
  const mapping = requireAvailable(deps, await deps.mappings.get(run.mapping));
  if ((await deps.bc.getManyByIds(mapping.bcTable, [bc.id])).length === 0)
    throw refuse(`${mapping.bcTable} ${bc.number} no longer exists in Business Central.`);

  const jobId = await deps.jobs.start({
    mapping: mapping.name,
    type: 'Coupling',
    direction: '',
    startedBy: actor.name,
    startedById: actor.id,
    message: `Near match approved from match run ${run.id}`,
  });
  // The pair goes through the same path as an approved proposal: re-checks, coupling, lost races.
  const pair: StoredRow = {
    rowId: row.rowId,
    outcome: {
      kind: 'proposed',
      bc,
      dvId: candidate.dvId,
      dvName: candidate.dvName,
      priority: 0,
      matchedOn: [],
      attempts: [],
    },
  };
  const ctx = { deps, run, mapping, actor, jobId, selected: null };
  const { results } = await applyPage(ctx, { ...page, rows: [pair] });
  const outcome = results.get(0) ?? { status: 'failed' as const, reason: 'Nothing was applied.', dvId: null };
  const coupled = outcome.status === 'coupled';
  await deps.jobs.incrementCounters(jobId, {
    coupled: coupled ? 1 : 0,
    inserted: 0,
    skipped: outcome.status === 'skipped' ? 1 : 0,
    failed: outcome.status === 'failed' ? 1 : 0,
  });
  await deps.jobs.finish(jobId, coupled ? 'Finished' : 'Failed', outcome.reason);
  if (!coupled) throw new DomainError(ErrorCode.StaleState, `${outcome.reason} Nothing was changed.`);
  await deps.runs.saveNearApproval(run.id, page.page, index, {
    dvId: candidate.dvId,
    dvName: candidate.dvName,
    by: { id: actor.id, name: actor.name },
    at: deps.clock.now(),
  });
  await deps.audit.record({
    actor,
    action: 'match.approveNear',
    mapping: mapping.name,
    subject: `matchRun:${run.id}`,
    details: { bcId: bc.id, dvId: candidate.dvId, score: candidate.score },
  });
  return done(jobId, false);
}

import { z } from 'zod';
import { DomainError, ErrorCode } from '../errors.js';
import type { Actor } from '../model/actor.js';
import { filterString } from '../store/documents.js';
import { applyRun, type ApplyHooks, type ApplyOutcome } from './apply-run.js';
import type { MatchDeps } from './match-deps.js';
import { effectiveStatus, loadRun, tooLate } from './read-run.js';
import { positionOf, type MatchRun } from './run-documents.js';

/** "Approve selected" comes from card pages of 25; thousands of ticked rows means something is wrong. */
export const MAX_SELECTED_ROWS = 5_000;

export const Selection = z.union([
  z.strictObject({ all: z.literal(true) }),
  z.strictObject({ rowIds: z.array(z.string().min(3).max(150)).min(1).max(MAX_SELECTED_ROWS) }),
]);
export type Selection = z.infer<typeof Selection>;

const APPROVABLE = new Set(['proposed', 'wouldCreate']);
const invalid = (message: string) =>
  new DomainError(ErrorCode.InvalidInput, `${message} Nothing was applied.`);
const leaseMs = (deps: MatchDeps) => (deps.leaseMinutes ?? 10) * 60_000;

/**
 * Card data is untrusted: every selected id must be a proposal of this very run (position and BC id
 * both agree with the stored row), otherwise the whole approval is refused before anything changes.
 */
async function validateSelection(
  deps: MatchDeps,
  run: MatchRun,
  rowIds: readonly string[],
): Promise<string[]> {
  const unique = [...new Set(rowIds)];
  const byPage = new Map<number, string[]>();
  for (const id of unique) {
    const position = positionOf(id);
    if (position === null || position >= run.counts.total)
      throw invalid(`"${id.slice(0, 60)}" is not a row of this match run.`);
    const page = Math.floor(position / run.pageSize);
    const ids = byPage.get(page) ?? [];
    ids.push(id);
    byPage.set(page, ids);
  }
  for (const [page, ids] of byPage) {
    const stored = await deps.runs.page(run.id, page);
    const rows = new Map((stored?.rows ?? []).map((r) => [r.rowId, r]));
    for (const id of ids) {
      const row = rows.get(id);
      if (!row) throw invalid(`"${id.slice(0, 60)}" is not a row of this match run.`);
      if (!APPROVABLE.has(row.outcome.kind)) {
        throw invalid(`Row ${row.outcome.bc.number} has no proposal to approve (${row.outcome.kind}).`);
      }
    }
  }
  return unique;
}

export interface Approval {
  /** The run, now Applying, decided by this caller. */
  run: MatchRun;
  /** Applies it. Only the caller that won the decision gets this; it must be awaited (or handled). */
  apply(hooks?: ApplyHooks): Promise<ApplyOutcome>;
}

/**
 * The decision half of approving: manager only; compare-and-set Proposed → Applying, so of any number of
 * clicks exactly one wins and the others are told who was first. Returns quickly, so the bot can answer
 * the card at once and apply in the background.
 */
export async function beginApproval(
  deps: MatchDeps,
  actor: Actor,
  runId: string,
  selection: unknown,
): Promise<Approval> {
  deps.roles.requireManager(actor, 'approve match-based coupling');
  const id = filterString(runId, 'Match run id', 100);
  const parsed = Selection.safeParse(selection);
  if (!parsed.success) throw invalid('Choose "all" or a list of row ids to approve.');
  const run = await loadRun(deps, id);
  const now = deps.clock.now();
  if (effectiveStatus(run, now) !== 'Proposed') throw tooLate(run, now);
  const rowIds = 'rowIds' in parsed.data ? await validateSelection(deps, run, parsed.data.rowIds) : [];
  const decision = rowIds.length > 0 ? 'selected' : 'all';
  const won = await deps.runs.decide(id, now, actor, {
    status: 'Applying',
    decision,
    selectedRowIds: rowIds,
    leaseUntil: new Date(now.getTime() + leaseMs(deps)),
  });
  if (!won) throw tooLate(await loadRun(deps, id), now);
  await deps.audit.record({
    actor,
    action: 'match.approve',
    mapping: run.mapping,
    subject: `matchRun:${id}`,
    details: { decision, selected: rowIds.length },
  });
  const decided = await loadRun(deps, id);
  return { run: decided, apply: (hooks = {}) => applyRun(deps, decided, actor, hooks) };
}

/** Approve all or selected rows and apply them: beginApproval, then its apply step. */
export async function approve(
  deps: MatchDeps,
  actor: Actor,
  runId: string,
  selection: unknown,
  hooks: ApplyHooks = {},
): Promise<ApplyOutcome> {
  return (await beginApproval(deps, actor, runId, selection)).apply(hooks);
}

/** Reject: manager only; the same compare-and-set, so a late approval is refused and vice versa. */
export async function reject(deps: MatchDeps, actor: Actor, runId: string): Promise<MatchRun> {
  deps.roles.requireManager(actor, 'reject match-based coupling');
  const id = filterString(runId, 'Match run id', 100);
  const now = deps.clock.now();
  const won = await deps.runs.decide(id, now, actor, { status: 'Rejected', decision: 'reject' });
  const run = await loadRun(deps, id);
  if (!won) throw tooLate(run, now);
  await deps.audit.record({ actor, action: 'match.reject', mapping: run.mapping, subject: `matchRun:${id}` });
  return run;
}

/**
 * A run left Applying by a process that died (or Failed part-way) is finished by re-running the apply
 * step: pages already applied are skipped, Create New rows remember the Dataverse row they created, and
 * couplings already written are recognised, so nothing is applied twice. Refused while another process
 * still holds the run's lease.
 */
export async function resumeApplying(deps: MatchDeps, actor: Actor, runId: string): Promise<ApplyOutcome> {
  deps.roles.requireManager(actor, 'resume applying a match run');
  const id = filterString(runId, 'Match run id', 100);
  const now = deps.clock.now();
  if (!(await deps.runs.takeOver(id, now, new Date(now.getTime() + leaseMs(deps))))) {
    const run = await loadRun(deps, id);
    if (run.status === 'Applying') {
      throw new DomainError(
        ErrorCode.Conflict,
        'This match run is still being applied; try again in a few minutes.',
      );
    }
    if (run.status === 'Proposed')
      throw new DomainError(ErrorCode.StaleState, 'This match run has not been approved yet.');
    throw tooLate(run, now);
  }
  await deps.audit.record({ actor, action: 'match.resume', subject: `matchRun:${id}` });
  return applyRun(deps, await loadRun(deps, id), actor, { freshJob: true });
}

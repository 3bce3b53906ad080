import type { Actor } from '../model/actor.js';
import {
  approve,
  beginApproval,
  reject,
  resumeApplying,
  type Approval,
  type Selection,
} from './decide-run.js';
import type { ApplyHooks, ApplyOutcome } from './apply-run.js';
import { approveNear, type NearApproved } from './approve-near.js';
import type { MatchDeps } from './match-deps.js';
import type { OutcomeKind } from './outcome.js';
import { proposeRun, type ProposeOptions } from './propose-run.js';
import { getRowsPage, getRun, type RowsPage } from './read-run.js';
import type { MatchRun } from './run-documents.js';

export type { ApplyOutcome } from './apply-run.js';
export type { Approval, Selection } from './decide-run.js';
export type { NearApproved } from './approve-near.js';
export type { RowsPage } from './read-run.js';
export type { MatchDeps } from './match-deps.js';

/**
 * Match-Based Coupling with manager approval (issue 5). One entry point for the bot; each use case lives
 * in its own file: propose-run, read-run, decide-run (approve / reject / resume), apply-run.
 */
export interface MatchService {
  /**
   * Computes and stores a proposal; nothing is coupled. `criteria`: CriteriaInput for this run only;
   * `scope`: the BC records to consider (match-scope.ts), the whole table when absent.
   */
  proposeRun(
    actor: Actor,
    mappingName: string,
    criteriaOverride?: unknown,
    scope?: string,
  ): Promise<MatchRun>;
  /** The run with its effective status (a Proposed run past expiresAt reads as Expired). */
  getRun(runId: string): Promise<MatchRun>;
  /** One card page (25 rows unless said) of all rows or of one kind, e.g. 'proposed'. */
  getRowsPage(
    runId: string,
    page: number,
    options?: { kind?: OutcomeKind; pageSize?: number },
  ): Promise<RowsPage>;
  /** Manager only. `selection`: { all: true } | { rowIds: string[] } (untrusted card data, validated). Decides and applies. */
  approve(
    actor: Actor,
    runId: string,
    selection: Selection | unknown,
    hooks?: ApplyHooks,
  ): Promise<ApplyOutcome>;
  /** The same decision, returned at once with an `apply()` for the winner to run in the background. */
  beginApproval(actor: Actor, runId: string, selection: Selection | unknown): Promise<Approval>;
  /**
   * Manager only: couples one near pair of an undecided run (`pick`: { rowId, dvId }, untrusted card
   * data, checked against the stored run); the run stays undecided. A repeated click changes nothing.
   */
  approveNear(actor: Actor, runId: string, pick: unknown): Promise<NearApproved>;
  /** Manager only. */
  reject(actor: Actor, runId: string): Promise<MatchRun>;
  /** Manager only: finishes a run left Applying by a process that died, or Failed part-way. */
  resumeApplying(actor: Actor, runId: string): Promise<ApplyOutcome>;
  /** Marks undecided runs past their expiry as Expired (call periodically); returns how many. */
  expireDue(): Promise<number>;
  /** Runs left Applying by a process that died (lease ran out): pass each to resumeApplying. */
  stuckRuns(): Promise<string[]>;
}

export function createMatchService(
  deps: MatchDeps,
  options: Pick<ProposeOptions, 'storedPageSize'> = {},
): MatchService {
  return {
    proposeRun: (actor, mappingName, criteria, scope) =>
      proposeRun(deps, actor, mappingName, { ...options, criteria, scope }),
    getRun: (runId) => getRun(deps, runId),
    getRowsPage: (runId, page, opts) => getRowsPage(deps, runId, page, opts),
    approve: (actor, runId, selection, hooks) => approve(deps, actor, runId, selection, hooks),
    beginApproval: (actor, runId, selection) => beginApproval(deps, actor, runId, selection),
    approveNear: (actor, runId, pick) => approveNear(deps, actor, runId, pick),
    reject: (actor, runId) => reject(deps, actor, runId),
    resumeApplying: (actor, runId) => resumeApplying(deps, actor, runId),
    expireDue: () => deps.runs.expireDue(deps.clock.now()),
    stuckRuns: () => deps.runs.findStuck(deps.clock.now()),
  };
}

import { DomainError, ErrorCode } from '../errors.js';
import { newId } from '../ids.js';
import { requireAvailable } from '../mappings/availability.js';
import type { Actor } from '../model/actor.js';
import type { IntegrationTableMapping } from '../model/mapping.js';
import type { BcRecord, DvRow } from '../model/record.js';
import type { MatchCriteria } from './criteria-model.js';
import { criteriaOf, validateCriteria } from './criteria.js';
import { matchRecords, type MatchResult } from './engine.js';
import { priorityGroups } from './groups.js';
import type { MatchDeps } from './match-deps.js';
import { parseScope, scopedRead, scopeText, type ScopedRead } from './match-scope.js';
import { addNearCandidates } from './near.js';
import { STORED_PAGE_SIZE } from './match-run-repository.js';
import { OUTCOME_KINDS, type MatchOutcome } from './outcome.js';
import type { MatchRun, Section, StoredRowDoc } from './run-documents.js';

const byNumber = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) for (const item of page) all.push(item);
  return all;
}

/** A proposal as stored: its rows cut into pages of `pageSize`, in storage order. */
interface StoredProposal {
  pages: StoredRowDoc[][];
  sections: Section[];
}

/**
 * Rows in storage order, grouped by kind (proposals first), so that the card can page through one kind
 * and applying reads only the pages that hold proposals. Within a kind, BC's processing order is kept.
 * Cut into pages here so that storing can let go of each page once it is written (see drain).
 */
export function toStoredPages(outcomes: readonly MatchOutcome[], pageSize: number): StoredProposal {
  const pages: StoredRowDoc[][] = [];
  const sections: Section[] = [];
  let page: StoredRowDoc[] = [];
  let rowCount = 0;
  for (const kind of OUTCOME_KINDS) {
    const start = rowCount;
    for (const outcome of outcomes) {
      if (outcome.kind !== kind) continue;
      if (rowCount % pageSize === 0) pages.push((page = []));
      page.push({ outcome });
      rowCount++;
    }
    sections.push({ kind, start, count: rowCount - start });
  }
  return { pages, sections };
}

async function coupledIds(
  deps: MatchDeps,
  mapping: string,
): Promise<{ bcIds: Set<string>; dvIds: Set<string> }> {
  const bcIds = new Set<string>();
  const dvIds = new Set<string>();
  for await (const page of deps.couplings.list(mapping, { pageSize: 5000 })) {
    for (const c of page) {
      bcIds.add(c.bcId);
      dvIds.add(c.dvId);
    }
  }
  return { bcIds, dvIds };
}

/**
 * Both tables read and matched, the outcomes cut into stored pages. The records are held only here: once
 * matched they can be collected before the proposal is stored (the outcomes keep ids, numbers and
 * names, not records).
 */
async function matchAll(
  deps: MatchDeps,
  mapping: IntegrationTableMapping,
  criteria: MatchCriteria,
  scope: ScopedRead,
  pageSize: number,
): Promise<{ counts: MatchResult['counts']; proposal: StoredProposal }> {
  const [read, dvRows, coupled] = await Promise.all([
    collect<BcRecord>(deps.bc.list(mapping.bcTable, scope.options)),
    collect<DvRow>(deps.dv.list(mapping.dvTable, mapping.integrationTableFilter)),
    coupledIds(deps, mapping.name),
  ]);
  const bcRecords = read.filter(scope.keep);
  if (bcRecords.length === 0 && scope.empty) {
    throw new DomainError(ErrorCode.NotFound, `${scope.empty} Nothing was proposed.`);
  }
  // BC walks the table in primary-key order; the first record to claim a row gets it (runMatch).
  bcRecords.sort((a, b) => byNumber.compare(a.number, b.number) || (a.id < b.id ? -1 : 1));
  const input = {
    mapping,
    criteria,
    bcRecords,
    dvRows,
    coupledBcIds: coupled.bcIds,
    coupledDvIds: coupled.dvIds,
  };
  const result = matchRecords(input);
  // Suggestions for the records nothing matched; they never change what the exact match decided.
  const near = addNearCandidates(input, result);
  return { counts: { ...result.counts, near }, proposal: toStoredPages(result.outcomes, pageSize) };
}

/**
 * Hands the pages over one at a time, removing each from the array as it goes: once the store has
 * written a page nothing holds its outcomes any more, so a 100k proposal never lives twice over (as
 * objects here and as the store's copy) while it is being stored.
 */
function* drain<T>(items: T[]): Generator<T, void, undefined> {
  for (let item = items.shift(); item !== undefined; item = items.shift()) yield item;
}

export interface ProposeOptions {
  /** Criteria for this run only (validated like saved ones); the mapping's saved criteria otherwise. */
  criteria?: unknown;
  /** Which BC records (text, see match-scope.ts): '' or absent for the whole table. */
  scope?: unknown;
  /** Rows per stored page; tests use small pages to exercise paging. */
  storedPageSize?: number;
}

/**
 * Match-Based Coupling, first half: compute the proposal and store it for a manager's decision. Nothing
 * is coupled here. Any user may propose; only managers decide (decide-run.ts).
 */
export async function proposeRun(
  deps: MatchDeps,
  actor: Actor,
  mappingName: string,
  options: ProposeOptions = {},
): Promise<MatchRun> {
  const mapping = requireAvailable(deps, await deps.mappings.get(mappingName));
  const criteria: MatchCriteria =
    options.criteria === undefined ? criteriaOf(mapping) : validateCriteria(mapping, options.criteria);
  priorityGroups(mapping, criteria); // refuse before loading anything when there are no criteria
  const scope = parseScope(options.scope);
  const read = await scopedRead(deps.runs, mapping, scope);

  const pageSize = options.storedPageSize ?? STORED_PAGE_SIZE;
  // Only the pages are kept from the match: no other reference to the outcomes may outlive it, or
  // storing could not let them go.
  const { counts, proposal } = await matchAll(deps, mapping, criteria, read, pageSize);
  const now = deps.clock.now();
  const run: MatchRun = {
    id: newId(),
    mapping: mapping.name,
    criteria,
    scope: scope.kind === 'all' ? null : { text: scopeText(scope), since: read.since, count: counts.total },
    status: 'Proposed',
    counts,
    sections: proposal.sections,
    pageSize,
    pages: proposal.pages.length,
    createdBy: { id: actor.id, name: actor.name },
    createdAt: now,
    expiresAt: new Date(now.getTime() + deps.ttlHours * 3_600_000),
    decidedBy: null,
    decidedAt: null,
    decision: null,
    selectedRowIds: [],
    jobId: null,
    applied: null,
    leaseUntil: null,
    message: '',
  };
  await deps.runs.insert(run, drain(proposal.pages));
  await deps.audit.record({
    actor,
    action: 'match.propose',
    mapping: mapping.name,
    subject: `matchRun:${run.id}`,
    details: { counts: run.counts },
  });
  return run;
}

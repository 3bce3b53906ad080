import { z } from 'zod';
import { DomainError, ErrorCode } from '../errors.js';
import type { MatchDeps } from './match-deps.js';
import { OUTCOME_KINDS, type OutcomeKind } from './outcome.js';
import type { MatchRun, StoredRow } from './run-documents.js';

/** Rows per card page (issue 5: 25 a page keeps the card well under 80 KB). */
export const CARD_PAGE_SIZE = 25;

const when = (d: Date | null): string =>
  d ? `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC` : 'an unknown time';

/** A Proposed run past its expiry is Expired, whether or not the sweep has written it yet. */
export function effectiveStatus(run: MatchRun, now: Date): MatchRun['status'] {
  return run.status === 'Proposed' && run.expiresAt.getTime() <= now.getTime() ? 'Expired' : run.status;
}

/** The refusal for a decision that comes too late: someone decided first, or nobody did in time. */
export function tooLate(run: MatchRun, now: Date): DomainError {
  const status = effectiveStatus(run, now);
  const by = `${run.decidedBy?.name ?? 'someone'} at ${when(run.decidedAt)}`;
  switch (status) {
    case 'Expired':
      return new DomainError(
        ErrorCode.Expired,
        `This match run expired at ${when(run.expiresAt)} without a decision; nothing was coupled. ` +
          `Run "match" again for a fresh proposal.`,
      );
    case 'Rejected':
      return new DomainError(ErrorCode.AlreadyDecided, `This match run was already rejected by ${by}.`);
    case 'Failed':
      return new DomainError(
        ErrorCode.AlreadyDecided,
        `This match run was already approved by ${by}, but applying it stopped: ${run.message} A manager can resume it.`,
      );
    default:
      return new DomainError(ErrorCode.AlreadyDecided, `This match run was already approved by ${by}.`);
  }
}

export async function loadRun(deps: MatchDeps, runId: unknown): Promise<MatchRun> {
  const run = await deps.runs.get(runId as string);
  if (!run)
    throw new DomainError(ErrorCode.NotFound, 'That match run does not exist (any more). Run "match" again.');
  return run;
}

/** The run as it stands now, with expiry applied. */
export async function getRun(deps: MatchDeps, runId: string): Promise<MatchRun> {
  const run = await loadRun(deps, runId);
  return { ...run, status: effectiveStatus(run, deps.clock.now()) };
}

const PageQuery = z.object({
  page: z.number().int().min(0).max(100_000),
  kind: z.enum(OUTCOME_KINDS).optional(),
  pageSize: z.number().int().min(1).max(50).default(CARD_PAGE_SIZE),
});

export interface RowsPage {
  runId: string;
  kind: OutcomeKind | null;
  page: number;
  pageSize: number;
  pages: number;
  total: number;
  rows: StoredRow[];
}

/**
 * One card page of a run's rows: all rows, or only one kind (e.g. the proposals with their checkboxes).
 * Reads only the stored page(s) that hold them, so paging through 100k rows stays cheap.
 */
export async function getRowsPage(
  deps: MatchDeps,
  runId: string,
  page: number,
  options: { kind?: OutcomeKind; pageSize?: number } = {},
): Promise<RowsPage> {
  const q = PageQuery.safeParse({ page, ...options });
  if (!q.success)
    throw new DomainError(
      ErrorCode.InvalidInput,
      `That page of the match run does not exist: ${q.error.issues[0]?.message}.`,
    );
  const run = await loadRun(deps, runId);
  const section = q.data.kind ? run.sections.find((s) => s.kind === q.data.kind) : undefined;
  const start = section?.start ?? 0;
  const total = section?.count ?? run.counts.total;
  const pages = Math.max(1, Math.ceil(total / q.data.pageSize));
  const from = q.data.page * q.data.pageSize;
  const count = Math.max(0, Math.min(q.data.pageSize, total - from));
  const rows = await deps.runs.rows(run, start + from, count);
  return {
    runId: run.id,
    kind: q.data.kind ?? null,
    page: q.data.page,
    pageSize: q.data.pageSize,
    pages,
    total,
    rows,
  };
}

import { z } from 'zod';
import { MatchCriteria } from './criteria-model.js';
import { RunScope } from './match-scope.js';
import { MatchCounts, MatchOutcome, OUTCOME_KINDS } from './outcome.js';

export const MatchRunStatus = z.enum(['Proposed', 'Applying', 'Approved', 'Rejected', 'Expired', 'Failed']);
export type MatchRunStatus = z.infer<typeof MatchRunStatus>;

export const Decision = z.enum(['all', 'selected', 'reject']);
export type Decision = z.infer<typeof Decision>;

const Person = z.object({ id: z.string(), name: z.string() });
export type Person = z.infer<typeof Person>;

/** Where the rows of one outcome kind sit in the run's storage order (rows are stored grouped by kind). */
export const Section = z.object({
  kind: z.enum(OUTCOME_KINDS),
  start: z.number().int(),
  count: z.number().int(),
});
export type Section = z.infer<typeof Section>;

export const AppliedCounters = z.object({
  coupled: z.number().int().min(0),
  created: z.number().int().min(0),
  skipped: z.number().int().min(0),
  failed: z.number().int().min(0),
});
export type AppliedCounters = z.infer<typeof AppliedCounters>;

/** A match run: a proposal awaiting a manager's decision (issue 5). Rows live in `matchRunRows`. */
export const MatchRun = z.object({
  id: z.string(),
  mapping: z.string(),
  criteria: MatchCriteria,
  /** The Business Central records the run was limited to; absent or null: the whole table. */
  scope: RunScope.nullable().optional(),
  status: MatchRunStatus,
  counts: MatchCounts,
  sections: z.array(Section),
  /** Rows per stored page document (not the card's page size). */
  pageSize: z.number().int().positive(),
  pages: z.number().int().min(0),
  createdBy: Person,
  createdAt: z.date(),
  expiresAt: z.date(),
  decidedBy: Person.nullable(),
  decidedAt: z.date().nullable(),
  decision: Decision.nullable(),
  /** Row ids chosen with "Approve selected"; empty otherwise. */
  selectedRowIds: z.array(z.string()),
  jobId: z.string().nullable(),
  applied: AppliedCounters.nullable(),
  /** While Applying: until when the applying process owns the run (see resumeApplying). */
  leaseUntil: z.date().nullable(),
  message: z.string(),
});
export type MatchRun = z.infer<typeof MatchRun>;

/** What happened to one row when the run was applied. */
export const RowResult = z.object({
  status: z.enum(['coupled', 'skipped', 'failed']),
  reason: z.string(),
  dvId: z.string().nullable(),
});
export type RowResult = z.infer<typeof RowResult>;

/** A near candidate a manager coupled on its own (approve-near.ts); the run itself stays undecided. */
export const NearApproval = z.object({ dvId: z.string(), dvName: z.string(), by: Person, at: z.date() });
export type NearApproval = z.infer<typeof NearApproval>;

/**
 * A stored outcome is its JSON text: one string per row instead of a dozen small objects and strings,
 * which is what the store keeps in memory and the driver encodes (a 100k-row proposal was ~80 MB of
 * objects in the embedded store). Rows stored as objects before read as they are.
 */
const StoredOutcome = z.preprocess((value) => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value; // not JSON: the schema then reports the row as corrupt
  }
}, MatchOutcome);

/** The stored form of an outcome (see StoredOutcome). */
export const encodeOutcome = (outcome: MatchOutcome): string => JSON.stringify(outcome);

/**
 * One row as stored in a page document. Its id is not stored: it is derived from its position and BC id
 * (see rowIdOf), which keeps 100k-row runs small.
 */
export const StoredRowDoc = z.object({
  outcome: StoredOutcome,
  /** Dataverse row created for a Create New row, kept before coupling so a retry never creates twice. */
  createdDvId: z.string().optional(),
  result: RowResult.optional(),
  nearApproved: NearApproval.optional(),
});
export type StoredRowDoc = z.infer<typeof StoredRowDoc>;

/** A row as callers see it: with its id, `<position>:<BC id>`, which locates its page and proves it belongs to this run. */
export type StoredRow = StoredRowDoc & { rowId: string };

export const RowPage = z
  .object({
    runId: z.string(),
    page: z.number().int().min(0),
    /** Position of the page's first row in the run. */
    start: z.number().int().min(0),
    rows: z.array(StoredRowDoc),
    appliedAt: z.date().nullable(),
  })
  .transform((p) => ({
    ...p,
    rows: p.rows.map((r, i): StoredRow => ({ rowId: rowIdOf(p.start + i, r.outcome.bc.id), ...r })),
  }));
export type RowPage = z.output<typeof RowPage>;

export function rowIdOf(position: number, bcId: string): string {
  return `${position}:${bcId}`;
}

/** The position encoded in a row id, or null when it is not one of ours. */
export function positionOf(rowId: string): number | null {
  const m = /^(\d{1,7}):./.exec(rowId);
  return m ? Number(m[1]) : null;
}

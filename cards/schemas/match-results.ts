import { z } from 'zod';
import { MatchCounts, MatchOutcome, OUTCOME_KINDS } from '../../core/match/outcome.js';
import { MatchRunStatus, NearApproval, RowResult } from '../../core/match/run-documents.js';
import { InputId } from '../inputs.js';
import { Id, ShortText, Text, When, type Tone } from './common.js';
import { scopeLine } from './match.js';
import { matchRowView, nearView } from './match-rows.js';

/** Rows per page of the results card (core's CARD_PAGE_SIZE; issue 5). */
export const MATCH_PAGE_SIZE = 25;

const Person = z.object({ name: ShortText });

/** The fields of core's MatchRun the card shows; the bot passes the run as core returns it. */
const RunView = z.object({
  id: Id,
  mapping: Id,
  status: MatchRunStatus,
  counts: MatchCounts,
  /** core's RunScope: the BC records the run was limited to. */
  scope: z
    .object({ text: z.string().max(2000), since: When.nullable(), count: z.number().int().min(0) })
    .nullable()
    .default(null),
  createdBy: Person,
  createdAt: When,
  decidedBy: Person.nullable().default(null),
  decidedAt: When.nullable().default(null),
  applied: z
    .object({
      coupled: z.number().int(),
      created: z.number().int(),
      skipped: z.number().int(),
      failed: z.number().int(),
    })
    .nullable()
    .default(null),
  message: Text.default(''),
  /** The Coupling job an approval became: what `undo job <id>` reverses. */
  jobId: Id.nullable().default(null),
});
type RunView = z.output<typeof RunView>;

/** core's RowsPage: 0-based `page` of `pages`, optionally one outcome kind only. */
const RowsView = z
  .object({
    page: z.number().int().min(0),
    pages: z.number().int().min(1),
    kind: z.enum(OUTCOME_KINDS).nullable().default(null),
    rows: z
      .array(
        z.object({
          rowId: Id,
          outcome: MatchOutcome,
          result: RowResult.optional(),
          nearApproved: NearApproval.optional(),
        }),
      )
      .max(MATCH_PAGE_SIZE),
  })
  .refine((p) => p.page < p.pages, { message: 'must be less than pages', path: ['page'] });

/** Once decided, the card says who decided and when, and has no buttons (issue 5). */
function decision(run: RunView): { text: string; color: Tone } | null {
  const by = `${run.decidedBy?.name ?? 'someone'} at ${run.decidedAt ?? 'an unknown time'}`;
  const a = run.applied;
  switch (run.status) {
    case 'Proposed':
      return null;
    case 'Applying':
      return { text: `Approved by ${by}: applying…`, color: 'Good' };
    case 'Approved':
      return {
        text:
          `Approved by ${by}: ${a?.coupled ?? 0} coupled, ${a?.failed ?? 0} failed` +
          (a && (a.created || a.skipped)
            ? ` (${a.created} created in Dataverse, ${a.skipped} skipped)`
            : '') +
          // Every copy shows the same card, so the way back is named rather than a button for all.
          (run.jobId && a?.coupled ? `. A manager can reverse it within 7 days: undo job ${run.jobId}` : ''),
        color: 'Good',
      };
    case 'Failed':
      return { text: `Approved by ${by}, but applying stopped: ${run.message}`, color: 'Attention' };
    case 'Rejected':
      return { text: `Rejected by ${by}`, color: 'Attention' };
    case 'Expired':
      return { text: 'Expired without a decision; nothing was coupled.', color: 'Warning' };
  }
}

const COUNT_LABELS: ReadonlyArray<[keyof MatchCounts, string]> = [
  ['proposed', 'Proposed'],
  ['wouldCreate', 'Would create'],
  ['noMatch', 'No match'],
  ['severalMatches', 'Several matches'],
  ['matchAlreadyCoupled', 'Match already coupled'],
  ['skipped', 'Skipped'],
  ['total', 'Total'],
];

/** Near candidates are suggestions, not a kind of outcome: their count comes after the total, when there are any. */
function countFacts(counts: MatchCounts): Array<{ title: string; value: string }> {
  const facts = COUNT_LABELS.map(([key, title]) => ({ title, value: String(counts[key] ?? 0) }));
  if (counts.near) facts.push({ title: 'With near candidates', value: String(counts.near) });
  return facts;
}

const RESULT_TEXT = { coupled: 'Coupled', skipped: 'Skipped', failed: 'Failed' } as const;

export const MatchResultsCardData = z
  .object({
    run: RunView,
    rows: RowsView,
    bcTable: ShortText.default(''),
    dvTable: ShortText,
    /** The viewer is a manager (core decides); others see the card without decision buttons. */
    canDecide: z.boolean(),
  })
  .transform(({ run, rows, bcTable, dvTable, canDecide }) => {
    const decided = decision(run);
    const open = decided === null;
    const showDecide = open && canDecide;
    return {
      runId: run.id,
      mapping: run.mapping,
      heading: `Run by ${run.createdBy.name} at ${run.createdAt}`,
      scopeText: run.scope ? scopeLine(bcTable, run.scope.text, run.scope) : '',
      countFacts: countFacts(run.counts),
      decided: !open,
      decisionText: decided?.text ?? '',
      decisionColor: decided?.color ?? 'Default',
      status: canDecide ? 'Awaiting your approval.' : 'Awaiting approval by a manager.',
      showDecide,
      showPrev: open && rows.page > 0,
      showNext: open && rows.page < rows.pages - 1,
      prevPage: rows.page - 1,
      nextPage: rows.page + 1,
      kind: rows.kind ?? '',
      page: rows.page,
      pageText: `Page ${rows.page + 1} of ${rows.pages}`,
      rows: rows.rows.map((r) => {
        const view = matchRowView(r.outcome, dvTable);
        const result = r.result
          ? `${RESULT_TEXT[r.result.status]}${r.result.reason ? `: ${r.result.reason}` : ''}`
          : '';
        return {
          ...view,
          detail: result ? `${result} · ${view.detail}` : view.detail,
          toggleId: `${InputId.rowPrefix}${r.rowId}`,
          toggle: showDecide && view.selectable,
          rowId: r.rowId,
          ...nearView(r.rowId, r.outcome, r.nearApproved, showDecide),
        };
      }),
    };
  });
export type MatchResultsCardData = z.input<typeof MatchResultsCardData>;

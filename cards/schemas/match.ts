import { z } from 'zod';
import { Direction } from '../../core/model/mapping.js';
import { MatchCriteria } from '../../core/match/criteria-model.js';
import { MatchCounts, MatchOutcome } from '../../core/match/outcome.js';
import { InputId } from '../inputs.js';
import { Id, ShortText, Text, When } from './common.js';
import { matchRowView } from './match-rows.js';

/** The criteria card shows one row of inputs per field; more than this would not fit a card. */
export const MAX_CRITERIA_FIELDS = 40;

export const MatchCriteriaCardData = z
  .object({
    name: Id,
    bcTable: ShortText,
    dvTable: ShortText,
    direction: Direction,
    /** From core's criteriaOf(mapping) (or resetCriteria): only fields without a constant. */
    criteria: MatchCriteria.extend({ fields: MatchCriteria.shape.fields.max(MAX_CRITERIA_FIELDS) }),
  })
  .transform((d) => ({
    mapping: d.name,
    tables: `${d.bcTable} ↔ ${d.dvTable}`,
    // BC hides Create New for FromIntegrationTable and conflicts for one-way mappings (domain.md §4).
    showCreateNew: d.direction !== 'FromIntegrationTable',
    showConflicts: d.direction === 'Bidirectional',
    createNew: String(d.criteria.createNew),
    syncAfterCoupling: d.criteria.syncAfterCoupling,
    resolveUpdateConflicts: d.criteria.resolveUpdateConflicts,
    fields: d.criteria.fields.map((f) => ({
      label: `${f.bcField} ↔ ${f.dvField}`,
      matchId: `${InputId.matchPrefix}${f.bcField}`,
      caseId: `${InputId.casePrefix}${f.bcField}`,
      priorityId: `${InputId.priorityPrefix}${f.bcField}`,
      match: String(f.match),
      caseSensitive: String(f.caseSensitive),
      priority: f.priority,
    })),
  }));
export type MatchCriteriaCardData = z.input<typeof MatchCriteriaCardData>;

/** Rows per page of the results card (issue 5: "a page of rows"). */
export const MATCH_PAGE_SIZE = 25;

function decisionText(d: { kind: string; by: string; at: string; coupled: number; failed: number }): string {
  switch (d.kind) {
    case 'approved':
      return `Approved by ${d.by} at ${d.at}: ${d.coupled} coupled, ${d.failed} failed`;
    case 'applying':
      return `Approved by ${d.by} at ${d.at}: applying…`;
    case 'rejected':
      return `Rejected by ${d.by} at ${d.at}`;
    default:
      return `Expired at ${d.at} without a decision`;
  }
}

/** Once set, the card shows who decided and when, and no buttons (issue 5). */
const Decision = z
  .object({
    kind: z.enum(['applying', 'approved', 'rejected', 'expired']),
    by: ShortText.default(''),
    at: When,
    coupled: z.number().int().min(0).default(0),
    failed: z.number().int().min(0).default(0),
  })
  .transform((d) => ({
    text: decisionText(d),
    color: d.kind === 'approved' || d.kind === 'applying' ? 'Good' : 'Attention',
  }));

const COUNT_LABELS: ReadonlyArray<[keyof MatchCounts, string]> = [
  ['proposed', 'Proposed'],
  ['wouldCreate', 'Would create'],
  ['noMatch', 'No match'],
  ['severalMatches', 'Several matches'],
  ['matchAlreadyCoupled', 'Match already coupled'],
  ['skipped', 'Skipped'],
  ['total', 'Total'],
];

export const MatchResultsCardData = z
  .object({
    runId: Id,
    mapping: Id,
    dvTable: ShortText,
    createdBy: ShortText,
    createdAt: When,
    counts: MatchCounts,
    rows: z.array(z.object({ rowId: Id, outcome: MatchOutcome })).max(MATCH_PAGE_SIZE),
    /** 1-based. */
    page: z.number().int().min(1),
    pageCount: z.number().int().min(1),
    /** The viewer is a manager (core decides); others see the card without decision buttons. */
    canDecide: z.boolean(),
    decision: Decision.nullable().default(null),
  })
  .refine((d) => d.page <= d.pageCount, { message: 'must not exceed pageCount', path: ['page'] })
  .transform((d) => {
    const open = d.decision === null;
    const showToggles = open && d.canDecide;
    return {
      ...d,
      countFacts: COUNT_LABELS.map(([key, title]) => ({ title, value: String(d.counts[key]) })),
      decided: !open,
      decisionColor: d.decision?.color ?? 'Default',
      decisionText: d.decision?.text ?? '',
      status: !open ? '' : d.canDecide ? 'Awaiting your approval.' : 'Awaiting approval by a manager.',
      showDecide: showToggles,
      showPrev: open && d.page > 1,
      showNext: open && d.page < d.pageCount,
      prevPage: d.page - 1,
      nextPage: d.page + 1,
      pageText: `Page ${d.page} of ${d.pageCount}`,
      rows: d.rows.map((r) => {
        const view = matchRowView(r.outcome, d.dvTable);
        return {
          ...view,
          rowId: r.rowId,
          toggleId: `${InputId.rowPrefix}${r.rowId}`,
          toggle: showToggles && view.selectable,
        };
      }),
    };
  });
export type MatchResultsCardData = z.input<typeof MatchResultsCardData>;

/** Rows listed on the import report; the counts always cover the whole file. */
export const MAX_IMPORT_ROWS = 50;

export const ImportReportCardData = z
  .object({
    importId: Id,
    mapping: Id,
    dvTable: ShortText,
    fileName: ShortText,
    accepted: z.number().int().min(0),
    rejected: z.number().int().min(0),
    /** Rejected rows first is most useful; the bot chooses the order. */
    rows: z
      .array(
        z.object({
          line: z.number().int().min(1),
          accepted: z.boolean(),
          name: ShortText.default(''),
          reason: Text.default(''),
        }),
      )
      .max(MAX_IMPORT_ROWS),
    canRunMatch: z.boolean(),
  })
  .transform((d) => ({
    ...d,
    summary: `${d.accepted} row${d.accepted === 1 ? '' : 's'} inserted into ${d.dvTable}, ${d.rejected} rejected.`,
    rows: d.rows.map((r) => ({
      text: `Line ${r.line}${r.name ? ` · ${r.name}` : ''}: ${r.accepted ? 'accepted' : 'rejected'}${r.reason ? ` — ${r.reason}` : ''}`,
      color: r.accepted ? 'Good' : 'Attention',
    })),
    more:
      d.accepted + d.rejected > d.rows.length
        ? `…${d.accepted + d.rejected - d.rows.length} more rows not listed`
        : '',
  }));
export type ImportReportCardData = z.input<typeof ImportReportCardData>;

import { z } from 'zod';
import { Direction } from '../../core/model/mapping.js';
import { MatchCriteria } from '../../core/match/criteria-model.js';
import { InputId } from '../inputs.js';
import { Id, ShortText } from './common.js';

/** "customers", "salespeople/purchasers": a BC table's records as a sentence names them. */
export function bcRecordsWord(bcTable: string): string {
  const special: Record<string, string> = {
    '': 'records',
    'Salesperson/Purchaser': 'salespeople/purchasers',
    Currency: 'currencies',
  };
  return special[bcTable] ?? `${bcTable.toLowerCase()}s`;
}

/**
 * The scope line of a match card: '' for the whole table, else what the run is limited to, with when
 * "modified" starts and how many records that was, once the run knows.
 */
export function scopeLine(
  bcTable: string,
  scope: string,
  known?: { since: string | null; count: number },
): string {
  if (scope === '') return '';
  const count = known ? ` (${known.count} record${known.count === 1 ? '' : 's'})` : '';
  const what =
    scope === 'modified' ? `modified since ${known?.since ?? 'the last approved match run'}` : scope;
  return `Limited to Business Central ${bcRecordsWord(bcTable)} ${what}${count}.`;
}

/** The criteria card shows one row of inputs per field; more than this would not fit a card. */
export const MAX_CRITERIA_FIELDS = 40;

/**
 * Takes the mapping's own fields (name, tables, direction) and core's criteria (`criteriaOf(mapping)` or
 * `resetCriteria(...)`), so the card offers exactly the fields core would accept.
 */
export const MatchCriteriaCardData = z
  .object({
    name: Id,
    bcTable: ShortText,
    dvTable: ShortText,
    direction: Direction,
    criteria: MatchCriteria.extend({ fields: MatchCriteria.shape.fields.max(MAX_CRITERIA_FIELDS) }),
    /** The BC records the run will be limited to (core's scope text); '' for the whole table. */
    scope: z.string().max(2000).default(''),
  })
  .transform((d) => ({
    mapping: d.name,
    scope: d.scope,
    scopeText: scopeLine(d.bcTable, d.scope),
    tables: `${d.bcTable} ↔ ${d.dvTable}`,
    // BC hides Create New for FromIntegrationTable and conflicts for one-way mappings (domain.md §4).
    showCreateNew: d.direction !== 'FromIntegrationTable',
    showConflicts: d.direction === 'Bidirectional',
    createNew: String(d.criteria.createNew),
    syncAfterCoupling: d.criteria.syncAfterCoupling,
    resolveUpdateConflicts: d.criteria.resolveUpdateConflicts,
    conflictsHint:
      "For this run only; the table mapping's own setting changes with " +
      `mapping ${d.name.toLowerCase()} update-conflicts none|send|get.`,
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

import { DomainError, ErrorCode } from '../errors.js';
import type { FieldValue } from '../model/record.js';
import type { IntegrationTableMapping } from '../model/mapping.js';
import type { MatchCriteria } from './criteria-model.js';

export interface GroupField {
  bcField: string;
  dvField: string;
  caseSensitive: boolean;
}

/** One Match Priority: all its fields must be equal (AND). */
export interface MatchGroup {
  priority: number;
  fields: GroupField[];
}

export const noCriteriaMessage = (mapping: string): string =>
  `You must specify which fields in table mapping ${mapping} should be used for match-based coupling. ` +
  'Mark at least one field "Match on this Field" in the match criteria.';

/**
 * Criteria → priority groups, ascending (domain.md §4). A field counts only when it is marked and its
 * field mapping exists without a constant: a constant is written, never read, so it cannot identify a row.
 */
export function priorityGroups(mapping: IntegrationTableMapping, criteria: MatchCriteria): MatchGroup[] {
  const usable = new Set(
    mapping.fields.filter((f) => f.constant === null).map((f) => `${f.bcField}\u0000${f.dvField}`),
  );
  const byPriority = new Map<number, GroupField[]>();
  for (const f of criteria.fields) {
    if (!f.match || !usable.has(`${f.bcField}\u0000${f.dvField}`)) continue;
    const list = byPriority.get(f.priority) ?? [];
    list.push({ bcField: f.bcField, dvField: f.dvField, caseSensitive: f.caseSensitive });
    byPriority.set(f.priority, list);
  }
  if (byPriority.size === 0)
    throw new DomainError(ErrorCode.NoMatchCriteria, noCriteriaMessage(mapping.name));
  return [...byPriority.entries()]
    .sort(([a], [b]) => a - b)
    .map(([priority, fields]) => ({ priority, fields }));
}

/**
 * The comparable form of a value, or null when it is empty (empty text is ignored by matching).
 * Text is trimmed and, unless case-sensitive, lower-cased; numbers and booleans compare as their text,
 * because BC and Dataverse do not always agree on a column's type ("10000" vs 10000).
 */
export function normalise(value: FieldValue | undefined, caseSensitive: boolean): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') {
    const t = value.trim();
    if (t === '') return null;
    return caseSensitive ? t : t.toLowerCase();
  }
  return String(value);
}

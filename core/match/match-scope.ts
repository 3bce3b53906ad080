import { z } from 'zod';
import {
  compareNumbers,
  describeSelection,
  isSelected,
  type NumberSelection,
} from '../coupling/number-selection.js';
import { DomainError, ErrorCode } from '../errors.js';
import type { IntegrationTableMapping } from '../model/mapping.js';
import type { BcRecord } from '../model/record.js';
import type { ListOptions } from '../ports/business-central.js';

/**
 * Which Business Central records a match run considers: the whole table (''), numbers and ranges
 * (`10000..30000, 40000`), or `modified` — the records modified since the mapping's last *approved*
 * match run was proposed. Not the synchronization high-water mark: scheduled synchronization moves that
 * past new, uncoupled records every interval (it skips them), so they would never count as modified
 * for matching. Rejected and expired runs coupled nothing, so their records are still to be matched.
 * Only the BC side is limited; every Dataverse row stays a candidate.
 */
export type ScopeRequest =
  { kind: 'all' } | { kind: 'modified' } | { kind: 'numbers'; selection: NumberSelection };

/** A run's scope as stored with it and shown on its card; null on runs over the whole table. */
export const RunScope = z.object({
  /** As the user gave it: `10000..30000, 40000` or `modified`. */
  text: z.string().max(2000),
  /** `modified`: when the last approved run was proposed. */
  since: z.date().nullable(),
  /** Business Central records in scope. */
  count: z.number().int().min(0),
});
export type RunScope = z.infer<typeof RunScope>;

export const MODIFIED = 'modified';
const MAX_PARTS = 500;
const MAX_NUMBER = 20;

const refuse = (message: string): never => {
  throw new DomainError(ErrorCode.InvalidInput, `${message} Nothing was run.`);
};

function part(text: string): { number: string } | { from: string; to: string } {
  const ends = text.split('..');
  const bad = (n: string | undefined) => !n || n.length > MAX_NUMBER || /[\s,']/.test(n);
  if (ends.length === 1) {
    if (bad(text)) refuse(`'${text.slice(0, 40)}' is not a Business Central number (like 10000).`);
    return { number: text };
  }
  const [from, to] = ends;
  if (ends.length !== 2 || bad(from) || bad(to) || !from || !to)
    return refuse(`'${text.slice(0, 40)}' is not a range of numbers (like 10000..30000).`);
  if (compareNumbers(from, to) > 0)
    refuse(`The range ${from}..${to} runs backwards: put the lower number first (${to}..${from}).`);
  return { from, to };
}

/** The scope from text (card data: untrusted). Bad numbers and backward ranges are refused. */
export function parseScope(text: unknown): ScopeRequest {
  if (text === undefined || text === null) return { kind: 'all' };
  if (typeof text !== 'string' || text.length > 2000) return refuse('That is not a match scope.');
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'all' };
  if (trimmed.toLowerCase() === MODIFIED) return { kind: 'modified' };
  const parts = trimmed.split(',').map((p) => p.trim().toUpperCase());
  if (parts.length > MAX_PARTS) refuse(`That names more than ${MAX_PARTS} numbers and ranges.`);
  return { kind: 'numbers', selection: parts.map(part) };
}

/** The scope as text, the one form the criteria card carries and the run stores. */
export function scopeText(scope: ScopeRequest): string {
  return scope.kind === 'all'
    ? ''
    : scope.kind === 'modified'
      ? MODIFIED
      : describeSelection(scope.selection);
}

export interface ScopedRead {
  options: ListOptions;
  keep(record: BcRecord): boolean;
  since: Date | null;
  /** Why nothing is in scope, for when nothing is. */
  empty: string;
}

/** How to read the BC side for a scope; `modified` without an approved run is refused. */
export async function scopedRead(
  runs: { lastApprovedAt(mapping: string): Promise<Date | null> },
  mapping: IntegrationTableMapping,
  scope: ScopeRequest,
): Promise<ScopedRead> {
  const table = mapping.bcTable;
  if (scope.kind === 'numbers') {
    const { selection } = scope;
    const empty = `There are no ${table} records in ${describeSelection(selection)}.`;
    return { options: {}, keep: (r) => isSelected(r.number, selection), since: null, empty };
  }
  if (scope.kind === 'all') return { options: {}, keep: () => true, since: null, empty: '' };
  const since = await runs.lastApprovedAt(mapping.name);
  if (since === null) {
    return refuse(
      `${mapping.name} has no approved match run yet, so no record counts as modified since one. ` +
        `Match the whole table (match ${mapping.name.toLowerCase()}) or some numbers ` +
        `(match ${mapping.name.toLowerCase()} 10000..30000).`,
    );
  }
  const empty = `No ${table} record was modified since the last approved match run (${since.toISOString()}).`;
  return { options: { modifiedSince: since }, keep: () => true, since, empty };
}

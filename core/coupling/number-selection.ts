import { DomainError, ErrorCode } from '../errors.js';
import type { BcTable } from '../model/tables.js';
import type { BusinessCentralPort } from '../ports/business-central.js';

/** A confirmation card carries the numbers it will act on; more than this is a bulk job, not a list. */
export const MAX_SELECTED = 200;

/** What a user selects: numbers, and ranges `from..to` (both ends included). */
export type NumberSelection = ReadonlyArray<{ number: string } | { from: string; to: string }>;

const DIGITS = /^\d+$/;

/** BC orders all-digit numbers as numbers ("9000" < "10000"), others as text. */
export function compareNumbers(a: string, b: string): number {
  if (DIGITS.test(a) && DIGITS.test(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  return a.localeCompare(b, 'en', { sensitivity: 'base' });
}

/** True when `number` is inside the range, both ends included, in BC's order of numbers. */
export function inRange(number: string, range: { from: string; to: string }): boolean {
  return compareNumbers(number, range.from) >= 0 && compareNumbers(number, range.to) <= 0;
}

/** True when the selection names `number` or a range holds it. */
export function isSelected(number: string, selection: NumberSelection): boolean {
  return selection.some((s) => ('from' in s ? inRange(number, s) : compareNumbers(number, s.number) === 0));
}

/** The selection as the user typed it: `10000..30000, 40000`. */
export function describeSelection(selection: NumberSelection): string {
  return selection.map((s) => ('from' in s ? `${s.from}..${s.to}` : s.number)).join(', ');
}

/**
 * `10000 20000 40000..50000` → the numbers, ranges expanded to the records that exist in them, in
 * the order given, without repeats. A number typed on its own is kept even if it does not exist:
 * core then says so for that record.
 */
export async function expandSelection(
  table: BcTable,
  selection: NumberSelection,
  bc: Pick<BusinessCentralPort, 'list'>,
): Promise<string[]> {
  const ranges = selection.flatMap((s) => ('from' in s ? [s] : []));
  const found = new Map<(typeof ranges)[number], string[]>(ranges.map((r) => [r, []]));
  if (ranges.length > 0) {
    for await (const page of bc.list(table)) {
      for (const record of page) {
        for (const r of ranges) {
          if (inRange(record.number, r)) found.get(r)?.push(record.number);
        }
      }
    }
  }
  const numbers = selection.flatMap((s) =>
    'from' in s ? [...(found.get(s) ?? [])].sort(compareNumbers) : [s.number],
  );
  const unique = [...new Set(numbers)];
  if (unique.length === 0) {
    const described = ranges.map((r) => `${r.from}..${r.to}`).join(', ');
    throw new DomainError(
      ErrorCode.NotFound,
      `There are no ${table} records in ${described}. Nothing was changed.`,
    );
  }
  if (unique.length > MAX_SELECTED) {
    throw new DomainError(
      ErrorCode.InvalidInput,
      `That selects ${unique.length} ${table} records; I take at most ${MAX_SELECTED} at a time. Narrow the range.`,
    );
  }
  return unique;
}

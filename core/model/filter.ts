import { z } from 'zod';
import { FieldValue, type Fields } from './record.js';

/**
 * A table filter: every condition must hold (AND). A condition holds when the field's value equals
 * one of `anyOf` (OR) — that is how "company id = current company or empty" is written:
 * { field: 'bcbi_companyid', anyOf: [companyId, null] }. Empty string and null count as the same
 * "empty" value, as in BC. `not: true` negates the condition.
 * The same structure is evaluated in memory and translated to OData $filter by the HTTP connectors.
 */
export const FilterCondition = z.object({
  field: z.string().min(1),
  anyOf: z.array(FieldValue).min(1),
  not: z.boolean().optional(),
});
export type FilterCondition = z.infer<typeof FilterCondition>;

export const TableFilter = z.array(FilterCondition);
export type TableFilter = z.infer<typeof TableFilter>;

const isEmpty = (v: FieldValue | undefined): boolean => v === undefined || v === null || v === '';

function valueEquals(a: FieldValue | undefined, b: FieldValue): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (typeof a === 'string' && typeof b === 'string') return a === b || a.toLowerCase() === b.toLowerCase();
  return a === b;
}

/**
 * The one rule for "is this record inside the mapping's filter" (style.md §10). Plain loops: a match
 * asks it for every record of both tables, and callbacks per record were most of what it allocated.
 */
export function passesFilter(fields: Fields, filter: TableFilter): boolean {
  for (let i = 0; i < filter.length; i++) {
    const c = filter[i] as FilterCondition;
    const value = fields[c.field];
    let hit = false;
    for (let k = 0; k < c.anyOf.length && !hit; k++) hit = valueEquals(value, c.anyOf[k] as FieldValue);
    if (hit === (c.not === true)) return false;
  }
  return true;
}

/** Human text for a filter, as BC shows it: "Blocked: '' , statecode: 0". */
export function describeFilter(filter: TableFilter): string {
  if (filter.length === 0) return '(none)';
  return filter
    .map((c) => {
      const values = c.anyOf.map((v) => (isEmpty(v) ? "''" : String(v))).join('|');
      return `${c.field}${c.not ? ' <>' : ':'} ${values}`;
    })
    .join(', ');
}

import type { TableFilter } from '../model/filter.js';
import type { Fields } from '../model/record.js';

const isEmpty = (v: unknown): boolean => v === null || v === '';

/**
 * Values a newly created record must carry to fall inside `filter`: for each plain (not negated)
 * condition, its first non-empty value. Create New and bulk import use this, so a new account gets
 * customertypecode 3 and this company's id (domain.md §6) from the mapping itself — the filter stays
 * the one place that says what belongs to a mapping.
 */
export function valuesImpliedByFilter(filter: TableFilter): Fields {
  const fields: Fields = {};
  for (const condition of filter) {
    if (condition.not) continue;
    const value = condition.anyOf.find((v) => !isEmpty(v)) ?? condition.anyOf[0];
    if (value !== undefined) fields[condition.field] = value;
  }
  return fields;
}

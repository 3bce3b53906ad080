import type { FieldValue } from '../../core/model/record.js';
import type { FilterCondition, TableFilter } from '../../core/model/filter.js';
import { isGuid, quote } from './odata.js';

/** How a mapped column appears in a query: its OData property name and whether it holds GUIDs. */
export interface QueryColumn {
  name: string;
  guid: boolean;
}

/**
 * TableFilter → OData $filter, with the meaning passesFilter gives it (core/model/filter.ts): every
 * condition must hold; a condition holds when the value is one of anyOf; empty string and null are the
 * same "empty" (Dataverse stores no empty strings, so both become `eq null`); `not` negates.
 * String comparison is case-insensitive on the server, as in passesFilter. undefined when no condition.
 */
export function toODataFilter(
  filter: TableFilter,
  column: (field: string) => QueryColumn,
): string | undefined {
  const clauses = filter.map((condition) => conditionClause(condition, column(condition.field)));
  return clauses.length === 0 ? undefined : clauses.join(' and ');
}

function conditionClause(condition: FilterCondition, column: QueryColumn): string {
  const literals = [...new Set(condition.anyOf.map((value) => literal(value, column)))];
  const op = condition.not ? 'ne' : 'eq';
  const terms = literals.map((value) => `${column.name} ${op} ${value}`);
  if (terms.length === 1) return terms[0] as string;
  return `(${terms.join(condition.not ? ' and ' : ' or ')})`;
}

/** One value as an OData literal; GUIDs of GUID columns and lookups go unquoted (Edm.Guid). */
export function literal(value: FieldValue, column: QueryColumn): string {
  if (value === null || value === '') return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (column.guid && isGuid(value)) return value.toLowerCase();
  return quote(value);
}

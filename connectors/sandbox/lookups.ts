import type { DvRow, Fields } from '../../core/model/record.js';
import type { DvTable } from '../../core/model/tables.js';
import type { WriteResult } from '../../core/ports/business-central.js';

/**
 * Lookup columns of the sandbox's Dataverse tables and the table their values point into. As in the
 * Web API, a lookup holds the id of a row of that table — never a code — so synchronization takes the
 * same path (core/sync/lookups.ts) whichever connector is configured, and a code written by mistake is
 * refused here as Dataverse would refuse it.
 */
export const SANDBOX_LOOKUPS: Readonly<Partial<Record<DvTable, Readonly<Record<string, DvTable>>>>> = {
  account: {
    transactioncurrencyid: 'transactioncurrency',
    ownerid: 'systemuser',
    primarycontactid: 'contact',
  },
  contact: {
    transactioncurrencyid: 'transactioncurrency',
    ownerid: 'systemuser',
    parentcustomerid: 'account',
  },
  product: { transactioncurrencyid: 'transactioncurrency' },
};

type Rows = (table: DvTable, ids: readonly string[]) => Promise<DvRow[]>;

/** Per row, why its lookup values cannot be stored, or null. One read per lookup column for all rows. */
export async function lookupProblems(
  getMany: Rows,
  table: DvTable,
  rows: readonly Fields[],
): Promise<Array<string | null>> {
  const problems: Array<string | null> = rows.map(() => null);
  for (const [column, target] of Object.entries(SANDBOX_LOOKUPS[table] ?? {})) {
    const values = rows.map((r) => r[column]);
    const ids = values.filter((v): v is string => typeof v === 'string' && v !== '');
    const existing = new Set(ids.length > 0 ? (await getMany(target, ids)).map((r) => r.id) : []);
    values.forEach((v, i) => {
      if (v === undefined || v === null || v === '' || (typeof v === 'string' && existing.has(v))) return;
      problems[i] ??= `${table}.${column} takes the id of a ${target} row, not "${String(v)}".`;
    });
  }
  return problems;
}

/** Writes the rows without a problem; the others fail alone with it. One result per row, in order. */
export async function writeValid<T, R>(
  items: readonly T[],
  problems: ReadonlyArray<string | null>,
  write: (valid: T[]) => Promise<Array<WriteResult<R>>>,
): Promise<Array<WriteResult<R>>> {
  const written = await write(items.filter((_, i) => problems[i] === null));
  let next = 0;
  return items.map((_, i) => {
    const problem = problems[i];
    if (problem) return { ok: false, code: 'invalid', error: problem };
    return written[next++] ?? { ok: false, error: 'no answer for this row' };
  });
}

import { DomainError, ErrorCode } from '../errors.js';
import { SyncAfterCoupling } from '../model/mapping.js';
import { BcTable, DvTable } from '../model/tables.js';

/**
 * Untrusted input (typed text, card data) checked before anything is looked up: only bounded
 * strings of the expected shape go further, so `{"$ne": null}` in card data never reaches a query.
 */
const invalid = (message: string) => new DomainError(ErrorCode.InvalidInput, message);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isGuid = (v: unknown): v is string => typeof v === 'string' && GUID.test(v.trim());

export function requireGuid(value: unknown, what: string): string {
  if (!isGuid(value)) {
    const shown = typeof value === 'string' ? `"${value.slice(0, 60)}"` : 'That';
    throw invalid(
      `${shown} is not ${what} id; ids look like 8f4c2a61-3b7e-4d09-9c15-2e6a7b1d5f30. Nothing was changed.`,
    );
  }
  return value.trim().toLowerCase();
}

export function requireNumber(value: unknown, table: BcTable): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text.length === 0 || text.length > 20 || /\p{Cc}/u.test(text)) {
    throw invalid(`Give the ${table} number (1 to 20 characters), e.g. 10000. Nothing was changed.`);
  }
  return text;
}

export function requireName(value: unknown, what: string): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text.length === 0 || text.length > 160) throw invalid(`Give the ${what} name (1 to 160 characters).`);
  return text;
}

export function requireBcTable(value: unknown): BcTable {
  const parsed = BcTable.safeParse(value);
  if (!parsed.success) throw invalid(`Business Central tables here are: ${BcTable.options.join(', ')}.`);
  return parsed.data;
}

export function requireDvTable(value: unknown): DvTable {
  const parsed = DvTable.safeParse(value);
  if (!parsed.success) throw invalid(`Dataverse tables here are: ${DvTable.options.join(', ')}.`);
  return parsed.data;
}

export function parseSyncAfterCoupling(value: unknown): SyncAfterCoupling {
  if (value === undefined || value === null) return 'No';
  const parsed = SyncAfterCoupling.safeParse(value);
  if (!parsed.success)
    throw invalid(`Synchronize After Coupling is one of: ${SyncAfterCoupling.options.join('; ')}.`);
  return parsed.data;
}

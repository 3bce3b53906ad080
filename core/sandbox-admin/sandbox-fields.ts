import { DV_KEY_COLUMNS } from '../model/key-columns.js';
import { DomainError, ErrorCode } from '../errors.js';
import { defaultMappings } from '../mappings/defaults.js';
import type { FieldValue, Fields } from '../model/record.js';
import { FORMULA_PROBLEM, isFormulaText } from '../model/spreadsheet-safety.js';
import { BC_KEY_FIELDS, type BcTable, type DvTable } from '../model/tables.js';

const invalid = (message: string) => new DomainError(ErrorCode.InvalidInput, message);
const MAX_VALUE = 250;
const MAX_FIELDS = 30;

/**
 * Fields a sandbox edit may touch: what the default mappings of the sandbox's company map or filter on,
 * plus key fields.
 */
export function knownBcFields(table: BcTable, companyId: string): string[] {
  const names = new Set<string>([BC_KEY_FIELDS[table].name]);
  for (const m of defaultMappings(companyId).filter((x) => x.bcTable === table)) {
    m.fields.forEach((f) => names.add(f.bcField));
    m.tableFilter.forEach((c) => names.add(c.field));
  }
  names.delete(BC_KEY_FIELDS[table].number); // renumbering would orphan couplings; not a demo edit
  return [...names].sort();
}

export function knownDvFields(table: DvTable, companyId: string): string[] {
  const keys = DV_KEY_COLUMNS[table];
  const names = new Set<string>(
    [keys.name, keys.number, keys.email, keys.phone].filter((k): k is string => !!k),
  );
  if (table === 'contact' || table === 'systemuser') ['firstname', 'lastname'].forEach((n) => names.add(n));
  for (const m of defaultMappings(companyId).filter((x) => x.dvTable === table)) {
    m.fields.forEach((f) => names.add(f.dvField));
    m.integrationTableFilter.forEach((c) => names.add(c.field));
  }
  return [...names].sort();
}

const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** "phone" → "Phone No.", "email" → "E-Mail": exact (ignoring case and punctuation), else a unique prefix. */
export function resolveFieldName(input: string, known: readonly string[], where: string): string {
  const key = squash(input);
  const exact = known.filter((k) => squash(k) === key);
  if (exact.length === 1) return exact[0]!;
  const prefixed = key ? known.filter((k) => squash(k).startsWith(key)) : [];
  if (prefixed.length === 1) return prefixed[0]!;
  const hint =
    prefixed.length > 1
      ? `"${input}" could be ${prefixed.join(', ')}`
      : `"${input}" is not a field of ${where}`;
  throw invalid(`${hint}. Fields you can set: ${known.join(', ')}. Nothing was changed.`);
}

/** Typed text becomes the type the field already holds (numbers, yes/no), so filters keep working. */
function coerce(field: string, value: unknown, current: FieldValue | undefined): FieldValue {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw invalid(`${field} must be a number.`);
    return value;
  }
  if (typeof value !== 'string' || value.length > MAX_VALUE) {
    throw invalid(`${field} must be text of at most ${MAX_VALUE} characters; nothing was changed.`);
  }
  if (typeof current === 'number') {
    const n = Number(value.trim());
    if (value.trim() === '' || !Number.isFinite(n))
      throw invalid(`${field} must be a number, not "${value}".`);
    return n;
  }
  if (typeof current === 'boolean') {
    const t = value.trim().toLowerCase();
    if (['true', 'yes', 'on'].includes(t)) return true;
    if (['false', 'no', 'off'].includes(t)) return false;
    throw invalid(`${field} is yes or no, not "${value}".`);
  }
  // The sandbox is demo data that people export to Excel; phone numbers (+1 425 …) stay allowed.
  if (isFormulaText(value)) throw invalid(`${field} ${FORMULA_PROBLEM}. Nothing was changed.`);
  return value;
}

/** Validates a whole edit before anything is written: field names, sizes and value types. */
export function validateChanges(
  changes: unknown,
  known: readonly string[],
  current: Fields,
  where: string,
): Fields {
  if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) {
    throw invalid('Say what to change, e.g. phone="+1 425 555 0100".');
  }
  const entries = Object.entries(changes as Record<string, unknown>);
  if (entries.length === 0 || entries.length > MAX_FIELDS)
    throw invalid(`Change 1 to ${MAX_FIELDS} fields at a time.`);
  const out: Fields = {};
  for (const [name, value] of entries) {
    const field = resolveFieldName(name, known, where);
    out[field] = coerce(field, value, current[field]);
  }
  return out;
}

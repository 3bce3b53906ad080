import type { Collection } from '../../core/ports/store.js';
import { asText } from '../../core/model/normalise.js';
import type { Fields } from '../../core/model/record.js';
import { BC_KEY_FIELDS, type BcTable } from '../../core/model/tables.js';
import type { SandboxDoc } from './documents.js';

/** Tables whose key is a code typed by people (JO, EUR) rather than a number from a series. */
const CODE_TABLES: ReadonlySet<BcTable> = new Set(['Salesperson/Purchaser', 'Currency']);
const STEP = 10;

/**
 * Numbers for new records that arrive without one (created from a Dataverse row), the way a BC number
 * series would: the highest numeric number + 10, or for code tables the initials of the name ("Jim
 * Olive" → JO, JO2, …). The unique index on `number` stays the final arbiter.
 */
export async function assignNumbers(
  col: Collection<SandboxDoc>,
  table: BcTable,
  rows: readonly Fields[],
): Promise<Fields[]> {
  const key = BC_KEY_FIELDS[table].number;
  if (rows.every((r) => asText(r[key]).trim() !== '')) return [...rows];
  const taken = new Set<string>();
  let max = 0;
  for await (const d of col.find({}, { projection: { number: 1 } })) {
    const n = d.number ?? '';
    taken.add(n.toUpperCase());
    if (/^\d{1,15}$/.test(n)) max = Math.max(max, Number(n));
  }
  return rows.map((r) => {
    if (asText(r[key]).trim() !== '') return r;
    const number = CODE_TABLES.has(table)
      ? codeFor(asText(r[BC_KEY_FIELDS[table].name]), taken)
      : String((max += STEP));
    taken.add(number.toUpperCase());
    return { ...r, [key]: number };
  });
}

function codeFor(name: string, taken: ReadonlySet<string>): string {
  const initials =
    name
      .split(/\s+/)
      .map((w) => w.replace(/[^A-Za-z0-9]/g, '').charAt(0))
      .join('')
      .toUpperCase()
      .slice(0, 10) || 'NEW';
  if (!taken.has(initials)) return initials;
  for (let i = 2; ; i++) if (!taken.has(`${initials}${i}`)) return `${initials}${i}`;
}

/**
 * Text keys used to find and rank possible partners (Set Up Coupling candidates, sandbox search
 * indexes). One place, so the sandbox indexes exactly what the ranking compares.
 */

/** Words that say what kind of company it is, not which one: sharing them proves nothing. */
const STOP_WORDS = new Set([
  'a',
  'ab',
  'ag',
  'and',
  'as',
  'bv',
  'co',
  'company',
  'corp',
  'corporation',
  'de',
  'gmbh',
  'inc',
  'incorporated',
  'limited',
  'llc',
  'ltd',
  'nv',
  'of',
  'plc',
  'sa',
  'the',
]);

/** Lower case, accents and punctuation removed, single spaces: "Fabrikam, Inc." → "fabrikam inc". */
export function normaliseName(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Distinct significant words of a name ("Adatum Corporation" → ["adatum"]). */
export function nameTokens(value: string): string[] {
  const words = normaliseName(value)
    .split(' ')
    .filter((w) => w.length >= 2 && !STOP_WORDS.has(w));
  return [...new Set(words)];
}

/**
 * The last nine digits of a phone number, or '' when it has fewer than seven: country prefixes and
 * trunk zeros are written inconsistently ("+1 425 555 0100" vs "(425) 555-0100").
 */
export function phoneKey(value: string): string {
  const digits = value.replace(/\D+/g, '');
  return digits.length >= 7 ? digits.slice(-9) : '';
}

/** E-mail addresses and numbers compare trimmed and case-insensitively. */
export function plainKey(value: string): string {
  return value.trim().toLowerCase();
}

/** A field value as text for keys; null/undefined/'' → ''. */
export function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : String(value);
}

import type { FieldMapping } from '../model/mapping.js';
import type { FieldValue } from '../model/record.js';

/**
 * Value rules shared by field transfer and change detection: what counts as "the same value", how a
 * transformation rule changes a value, and how a value is made to fit the target column.
 */

const isBlank = (v: FieldValue | undefined): boolean => v === undefined || v === null || v === '';

/**
 * Equal for synchronization purposes. Blank text and null are the same value: Dataverse stores '' as
 * null, so treating them as different would make every blank field look changed on every run.
 * Text compares exactly — a change of case is a real change a user made.
 */
export function sameValue(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  if (isBlank(a) && isBlank(b)) return true;
  return a === b;
}

const TRANSFORMS: Record<string, (s: string) => string> = {
  trim: (s) => s.trim(),
  uppercase: (s) => s.toUpperCase(),
  lowercase: (s) => s.toLowerCase(),
};

export const KNOWN_TRANSFORMATIONS = Object.keys(TRANSFORMS);

export type Converted = { ok: true; value: FieldValue } | { ok: false; error: string };

/**
 * A lookup's answer: a value, an error (with `waitingFor` naming the mapping whose coupling is missing,
 * when coupling that record is all it takes), or "keep": leave the target as it is, with a note for the
 * result (BC: an uncoupled salesperson leaves the owner alone).
 */
export type Translated =
  | { ok: true; value: FieldValue }
  | { ok: false; error: string; waitingFor?: string }
  | { ok: 'keep'; note: string | null };

/** Applies a transformation rule ("trim", "uppercase", "trim,uppercase") to text values. */
export function transform(value: FieldValue, rule: string | null, fieldLabel: string): Converted {
  if (rule === null || rule.trim() === '') return { ok: true, value };
  let out = value;
  for (const name of rule.split(/[,+]/).map((s) => s.trim().toLowerCase())) {
    const fn = TRANSFORMS[name];
    if (!fn) {
      return {
        ok: false,
        error: `The transformation rule "${name}" on field ${fieldLabel} is unknown; use ${KNOWN_TRANSFORMATIONS.join(', ')}.`,
      };
    }
    if (typeof out === 'string') out = fn(out);
  }
  return { ok: true, value: out };
}

/** A Constant Value is text in the mapping; numbers and booleans are written as such. */
export function parseConstant(text: string): FieldValue {
  const t = text.trim();
  if (t === 'true' || t === 'false') return t === 'true';
  if (t !== '' && /^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  return text;
}

type Kind = 'text' | 'number' | 'boolean';
function kindOf(v: FieldValue | undefined): Kind | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return 'text';
  return typeof v === 'number' ? 'number' : 'boolean';
}

const show = (v: FieldValue): string => (typeof v === 'string' ? `"${v}"` : String(v));

/**
 * Converts `value` to the kind of value the target column holds. The target's kind is learned from
 * its current value (the ports carry no schema); a blank target accepts the value as it is.
 */
function toKind(value: FieldValue, kind: Kind | null, source: string, target: string): Converted {
  if (value === null || kind === null || kindOf(value) === kind) return { ok: true, value };
  if (kind === 'text') return { ok: true, value: String(value) };
  if (kind === 'number' && typeof value === 'string') {
    if (value.trim() === '') return { ok: true, value: null };
    const n = Number(value.trim());
    if (Number.isFinite(n)) return { ok: true, value: n };
  }
  if (kind === 'boolean' && typeof value === 'string' && /^(true|false)$/i.test(value.trim())) {
    return { ok: true, value: value.trim().toLowerCase() === 'true' };
  }
  return {
    ok: false,
    error: `The value of ${source} (${show(value)}) cannot be written to ${target}, which holds a ${kind}.`,
  };
}

/**
 * The value the target column will receive: transformation, type conversion, maximum length.
 * `source`/`target` are the field names as users know them on each side, for the error text.
 */
export function fitForTarget(
  raw: FieldValue,
  fm: Pick<FieldMapping, 'transformation' | 'maxLength'>,
  targetCurrent: FieldValue | undefined,
  source: string,
  target: string,
): Converted {
  const transformed = transform(raw, fm.transformation, source);
  if (!transformed.ok) return transformed;
  const converted = toKind(transformed.value, kindOf(targetCurrent), source, target);
  if (!converted.ok) return converted;
  const v = converted.value;
  if (typeof v === 'string' && fm.maxLength !== null && v.length > fm.maxLength) {
    return {
      ok: false,
      error: `The value of ${source} (${v.length} characters) is too long for ${target} (maximum ${fm.maxLength}).`,
    };
  }
  return { ok: true, value: v };
}

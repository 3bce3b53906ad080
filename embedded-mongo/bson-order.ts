import { Binary, Decimal128, Long, type Document } from 'bson';

/**
 * mingo compares two objects of the same class by their toString(). For ObjectId (hex) and Date that
 * already gives BSON order, but not for Decimal128 ("10" < "9"), large int64 values or Binary (lossy
 * UTF-8). Incoming values of those types are therefore replaced by subclasses whose toString() is an
 * order-preserving key; they still serialise as the original BSON type, so clients never see them.
 */

/** The value as text, whatever subclass it is. */
export const decimalText = (d: Decimal128): string => Decimal128.prototype.toString.call(d);
export const longText = (l: Long): string => Long.prototype.toString.call(l);

export class OrderedDecimal extends Decimal128 {
  override toString(): string {
    return numericKey(decimalText(this));
  }
}

export class OrderedLong extends Long {
  override toString(): string {
    return numericKey(longText(this));
  }
  override toBigInt(): bigint {
    return BigInt(longText(this));
  }
}

export class OrderedBinary extends Binary {
  override toString(): string {
    // BSON orders BinData by length, then subtype, then bytes.
    const bytes = this.value();
    return `${bytes.length.toString(16).padStart(8, '0')}${this.sub_type.toString(16).padStart(2, '0')}${Buffer.from(bytes).toString('hex')}`;
  }
}

const NUM_RE = /^(-)?(\d+)(?:\.(\d*))?(?:E([+-]?\d+))?$/i;

/** A string key whose lexicographic order is the numeric order of the decimal text `s`. */
export function numericKey(s: string): string {
  if (s === 'NaN' || s === '-NaN') return '!';
  if (s === '-Infinity') return '#';
  if (s === 'Infinity') return '4';
  const m = NUM_RE.exec(s);
  if (!m) return `?${s}`;
  let digits = (m[2] ?? '') + (m[3] ?? '');
  let exp = Number(m[4] ?? 0) + (m[2] ?? '').length - 1;
  const lead = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(lead).replace(/0+$/, '');
  exp -= lead;
  if (digits.length === 0) return '1';
  const magnitude = `${String(exp + 100000).padStart(6, '0')}${digits}`;
  if (!m[1]) return `2${magnitude}`;
  // Negative: complement every digit so larger magnitudes sort first; '~' ends shorter keys last.
  return `0${complement(magnitude)}~`;
}

/** numericKey for a safe integer without the regex (the common _id and counter case). */
export function integerKey(n: number): string {
  if (n === 0) return '1';
  let digits = String(Math.abs(n));
  const exp = digits.length - 1;
  let end = digits.length;
  while (digits.charCodeAt(end - 1) === 48) end--;
  digits = digits.slice(0, end);
  const magnitude = `${exp + 100000}${digits}`;
  return n > 0 ? `2${magnitude}` : `0${complement(magnitude)}~`;
}

function complement(digits: string): string {
  let out = '';
  for (let i = 0; i < digits.length; i++) out += String.fromCharCode(105 - digits.charCodeAt(i));
  return out;
}

/** Replaces Decimal128, Long and Binary values (in place) with their ordered subclasses. */
export function reviveOrdered<T>(value: T): T {
  return revive(value) as T;
}

function revive(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = revive(v[i]);
    return v;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) {
    const doc = v as Document;
    for (const k in doc) doc[k] = revive(doc[k]);
    return doc;
  }
  if (v instanceof Decimal128 && !(v instanceof OrderedDecimal)) return new OrderedDecimal(v.bytes);
  if (v instanceof Long && !(v instanceof OrderedLong) && proto === Long.prototype) {
    return new OrderedLong(v.low, v.high, v.unsigned);
  }
  if (v instanceof Binary && !(v instanceof OrderedBinary)) return new OrderedBinary(v.value(), v.sub_type);
  return v;
}

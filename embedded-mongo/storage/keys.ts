import { Binary, Decimal128, Long, ObjectId, Timestamp, type Document } from 'bson';
import { decimalText, integerKey, longText, numericKey } from '../bson-order.js';

/**
 * Canonical string encoding of a BSON value such that two values mongod considers equal (e.g. 5, 5.0,
 * NumberLong(5) and NumberDecimal("5.00")) encode identically. Used as hash-map keys for _id and secondary indexes.
 */
export function encodeValue(v: unknown): string {
  if (v === null || v === undefined) return 'z';
  switch (typeof v) {
    case 'number':
      return Number.isSafeInteger(v) ? `n${integerKey(v)}` : `n${numericKey(String(v))}`;
    case 'string':
      return `s${v}`;
    case 'boolean':
      return v ? 'b1' : 'b0';
    case 'bigint':
      return `n${numericKey(v.toString())}`;
  }
  if (v instanceof Date) return `d${v.getTime()}`;
  if (v instanceof ObjectId) return `o${v.toHexString()}`;
  if (Array.isArray(v)) return `[${v.map(encodeValue).join(',')}]`;
  if (v instanceof Timestamp) return `t${v.toString()}`;
  if (v instanceof Long) return `n${numericKey(longText(v))}`;
  if (v instanceof Decimal128) return `n${numericKey(decimalText(v))}`;
  if (v instanceof Binary) return `x${v.sub_type}:${Buffer.from(v.value()).toString('base64')}`;
  if (v instanceof RegExp) return `r${v.source}/${v.flags}`;
  if (typeof v === 'object') {
    const doc = v as Document;
    // Field order matters for embedded-document equality in MongoDB, so it is kept.
    return `{${Object.keys(doc)
      .map((k) => `${JSON.stringify(k)}:${encodeValue(doc[k])}`)
      .join(',')}}`;
  }
  return `?${String(v)}`;
}

/**
 * Values at a dotted path, descending through arrays the way mongod's multikey indexes do: an array
 * contributes its elements. A missing path yields [] (callers index it as null).
 */
export function pathValues(doc: unknown, path: string | string[]): unknown[] {
  const out: unknown[] = [];
  collect(doc, typeof path === 'string' ? path.split('.') : path, 0, out);
  return out;
}

function collect(value: unknown, parts: string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    if (Array.isArray(value)) out.push(...value);
    else if (value !== undefined) out.push(value);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const key = parts[i] as string;
  if (Array.isArray(value)) {
    if (/^\d+$/.test(key)) collect(value[Number(key)], parts, i + 1, out);
    else for (const item of value) collect(item, parts, i, out);
    return;
  }
  if (isPlainDoc(value)) collect((value as Document)[key], parts, i + 1, out);
}

export function isPlainDoc(v: unknown): v is Document {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Deep copy of plain objects and arrays; BSON value classes are immutable and shared. */
export function cloneDoc<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneDoc) as T;
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (isPlainDoc(v)) {
    const out: Document = {};
    for (const k of Object.keys(v)) out[k] = cloneDoc(v[k]);
    return out as T;
  }
  return v;
}

/**
 * encodeValue(a) === encodeValue(b), without building both encodings for the common shapes (strings,
 * numbers, dates, plain documents and arrays): update statements ask it of whole documents to tell
 * whether anything changed. Anything else falls back to comparing the encodings.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' || typeof a === 'boolean') return typeof b === typeof a ? a === b : false;
  if (typeof a === 'number' && typeof b === 'number') return a === b || (a !== a && b !== b);
  if (a === null && b === null) return true;
  if (a instanceof Date && b instanceof Date) return encodeValue(a) === encodeValue(b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (isPlainDoc(a) && isPlainDoc(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    for (let i = 0; i < ka.length; i++) {
      const k = ka[i] as string;
      if (k !== kb[i] || !sameValue(a[k], b[k])) return false;
    }
    return true;
  }
  return encodeValue(a) === encodeValue(b);
}

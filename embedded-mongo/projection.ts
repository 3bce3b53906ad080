import type { Document } from 'bson';
import { isPlainDoc } from './storage/keys.js';

type Slice = (values: unknown[]) => unknown[];

/**
 * The common projection shapes answered without mingo: top-level inclusions (`{ a: 1, b: true }`, with
 * `_id` on or off) and `$slice` of top-level arrays next to at least one inclusion. mingo evaluates
 * projections as general expressions, which made slicing 25 rows out of a 500-row page cost
 * milliseconds. Anything else (dotted paths, exclusions, $slice alone, $elemMatch…) returns undefined and
 * stays with mingo. Fields come back in the document's order, as mongod returns them.
 */
export function simpleProjection(projection: Document): ((doc: Document) => Document) | undefined {
  const include = new Set<string>();
  const slices = new Map<string, Slice>();
  let withId = true;
  for (const [field, spec] of Object.entries(projection)) {
    if (field === '' || field.startsWith('$') || field.includes('.')) return undefined;
    if (field === '_id' && (spec === 0 || spec === false)) {
      withId = false;
      continue;
    }
    if (spec === 1 || spec === true) include.add(field);
    else {
      const slice = sliceOf(spec);
      if (!slice) return undefined;
      slices.set(field, slice);
    }
  }
  if ([...include].filter((f) => f !== '_id').length === 0) return undefined;
  return (doc) => {
    const out: Document = {};
    for (const [field, value] of Object.entries(doc)) {
      if (field === '_id' ? !withId : !include.has(field) && !slices.has(field)) continue;
      const slice = slices.get(field);
      out[field] = slice && Array.isArray(value) ? slice(value) : value;
    }
    return out;
  };
}

/** mongod's `$slice: n` (first n, or last -n) and `$slice: [skip, limit]` (skip < 0 counts from the end). */
function sliceOf(spec: unknown): Slice | undefined {
  if (!isPlainDoc(spec) || Object.keys(spec).length !== 1) return undefined;
  const arg: unknown = spec.$slice;
  if (Number.isInteger(arg)) {
    const n = arg as number;
    return n >= 0 ? (xs) => xs.slice(0, n) : (xs) => xs.slice(Math.max(0, xs.length + n));
  }
  if (!Array.isArray(arg) || arg.length !== 2 || !arg.every(Number.isInteger)) return undefined;
  const [skip, limit] = arg as [number, number];
  if (limit <= 0) return undefined;
  return (xs) => {
    const from = skip >= 0 ? skip : Math.max(0, xs.length + skip);
    return xs.slice(from, from + limit);
  };
}

import type { Document } from 'bson';
import type { Collection } from './collection.js';
import type { SecondaryIndex } from './indexes.js';
import { isPlainDoc } from './keys.js';

const MAX_LOOKUPS = 1000;

/**
 * Top-level equality constraints of a filter: field → the values it may equal ($eq, plain value or a
 * scalar $in). Anything else is left to mingo, which always re-checks the candidates.
 */
export function equalities(filter: Document, out = new Map<string, unknown[]>()): Map<string, unknown[]> {
  for (const [field, cond] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(cond)) {
      for (const part of cond) if (isPlainDoc(part)) equalities(part, out);
      continue;
    }
    if (field.startsWith('$')) continue;
    const values = equalityValues(cond);
    if (values && !out.has(field)) out.set(field, values);
  }
  return out;
}

function equalityValues(cond: unknown): unknown[] | undefined {
  if (isIndexable(cond)) return [cond];
  if (!isPlainDoc(cond)) return undefined;
  const keys = Object.keys(cond);
  if (keys.length !== 1) return undefined;
  if (keys[0] === '$eq' && isIndexable(cond.$eq)) return [cond.$eq];
  if (keys[0] === '$in' && Array.isArray(cond.$in) && cond.$in.every(isIndexable)) return cond.$in;
  return undefined;
}

/** Values whose equality match is exactly "some indexed key equals it" (arrays and regexes are not). */
function isIndexable(v: unknown): boolean {
  if (Array.isArray(v) || v instanceof RegExp || v === undefined) return false;
  if (isPlainDoc(v)) return Object.keys(v).every((k) => !k.startsWith('$'));
  return true;
}

/** Candidate documents from the best index, or undefined when only a collection scan will do. */
export function planCandidates(coll: Collection, filter: Document): Document[] | undefined {
  const eq = equalities(filter);
  if (eq.size === 0) return undefined;
  const ids = eq.get('_id');
  if (ids) return ids.map((id) => coll.get(id)).filter((d): d is Document => d !== undefined);
  let best: { index: SecondaryIndex; len: number } | undefined;
  for (const index of coll.indexes.values()) {
    // Sparse and partial indexes omit documents, so they cannot answer "field is null/missing" safely.
    if (index.spec.sparse || index.spec.partialFilterExpression) continue;
    let len = 0;
    while (len < index.fields.length && eq.has(index.fields[len] as string)) len++;
    if (len > 0 && (!best || len > best.len)) best = { index, len };
  }
  if (!best) return undefined;
  const tuples = product(best.index.fields.slice(0, best.len).map((f) => eq.get(f) as unknown[]));
  if (!tuples) return undefined;
  const keys = new Set<string>();
  for (const t of tuples) for (const k of best.index.lookup(t) ?? []) keys.add(k);
  const out: Document[] = [];
  for (const k of keys) {
    const d = coll.docs.get(k);
    if (d) out.push(d);
  }
  return out;
}

function product(lists: unknown[][]): unknown[][] | undefined {
  let out: unknown[][] = [[]];
  for (const list of lists) {
    const next: unknown[][] = [];
    for (const t of out) for (const v of list) next.push([...t, v]);
    if (next.length > MAX_LOOKUPS) return undefined;
    out = next;
  }
  return out;
}

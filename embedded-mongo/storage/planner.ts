import type { Document } from 'bson';
import type { SecondaryIndex } from './indexes.js';
import { encodeValue, isPlainDoc } from './keys.js';

/** What the planner reads of a collection: its documents by key and its secondary indexes. */
export interface Indexed {
  readonly docs: ReadonlyMap<string, Document>;
  readonly indexes: ReadonlyMap<string, SecondaryIndex>;
}

/** Hash look-ups one plan may make (the product of the $in lists over the key fields it uses). */
const MAX_LOOKUPS = 100_000;

/**
 * Top-level equality constraints of a filter: field → the values it may equal ($eq, plain value or a
 * scalar $in). Anything else is left to mingo, which always re-checks the candidates.
 */
export function equalities(filter: Document, out = new Map<string, unknown[]>()): Map<string, unknown[]> {
  for (const [field, { values }] of constraints(filter)) out.set(field, values);
  return out;
}

interface Constraint {
  values: unknown[];
  /** Stated at the top level of the filter (not inside $and), so it can be dropped from the re-check. */
  top: boolean;
}

function constraints(
  filter: Document,
  out = new Map<string, Constraint>(),
  top = true,
): Map<string, Constraint> {
  for (const [field, cond] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(cond)) {
      for (const part of cond) if (isPlainDoc(part)) constraints(part, out, false);
      continue;
    }
    if (field.startsWith('$')) continue;
    const values = equalityValues(cond);
    if (values && !out.has(field)) out.set(field, { values, top });
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

/**
 * Whether "the index holds this document under one of `values`" is exactly mongod's equality match, so
 * the condition needs no re-check. _id look-ups always are. A secondary index is for a top-level field
 * (no dotted path, where nested arrays and numeric parts differ) and non-null values (mongod's null also
 * matches an empty array, which the index files under null too).
 */
function exactOnIndex(field: string, c: Constraint): boolean {
  if (!c.top) return false;
  if (field === '_id') return true;
  return !field.includes('.') && c.values.every((v) => v !== null);
}

export interface Plan {
  /** A superset of the matching documents, each once. */
  docs: Document[];
  /** What remains to be checked on each candidate: the filter without the conditions the look-up answered. */
  residual: Document;
  /**
   * How the candidates were found, as mongod's explain names the stages: `IDHACK` (by _id), `IXSCAN` (one
   * secondary index) or `OR` (one look-up per branch of a top-level $or, results de-duplicated).
   */
  stage: 'IDHACK' | 'IXSCAN' | 'OR';
  /** The indexes the look-ups used, by name (`_id_` for _id), each once. */
  indexes: string[];
}

/** Candidate documents from the best index, or undefined when only a collection scan will do. */
export function planCandidates(coll: Indexed, filter: Document): Document[] | undefined {
  return plan(coll, filter)?.docs;
}

/**
 * The index plan for a filter, or undefined when only a collection scan will do. In order: _id
 * equalities; a top-level $or whose every branch an index answers (index union); the secondary index
 * answering the longest key prefix of the top-level equalities.
 */
export function plan(coll: Indexed, filter: Document): Plan | undefined {
  const eq = constraints(filter);
  const ids = eq.get('_id');
  if (ids)
    return {
      docs: byKeys(coll, ids.values.map(encodeValue)),
      residual: without(filter, eq, ['_id']),
      stage: 'IDHACK',
      indexes: ['_id_'],
    };
  const union = orUnion(coll, filter);
  if (union) return union;
  if (eq.size === 0) return undefined;
  const keys = lookupKeys(coll, eq);
  if (!keys) return undefined;
  return {
    docs: byKeys(coll, keys.keys),
    residual: without(filter, eq, keys.fields),
    stage: 'IXSCAN',
    indexes: [keys.index],
  };
}

/** Record keys under the best secondary index for `eq`, or undefined when no index applies. */
function lookupKeys(
  coll: Indexed,
  eq: Map<string, Constraint>,
): { keys: Set<string>; fields: string[]; index: string } | undefined {
  const best = bestIndex(coll, eq);
  if (!best) return undefined;
  const fields = best.index.fields.slice(0, best.len);
  const keys = new Set<string>();
  for (const t of product(fields.map((f) => (eq.get(f) as Constraint).values))) {
    for (const k of best.index.lookup(t) ?? []) keys.add(k);
  }
  return { keys, fields, index: best.index.spec.name };
}

/**
 * Index union for a top-level `$or`: each branch answered through an index (its _id or the best
 * secondary index for its equalities), the record keys de-duplicated, and the whole filter checked on
 * every candidate. Undefined — a scan — as soon as one branch has no usable index, since that branch
 * could match any document.
 */
function orUnion(coll: Indexed, filter: Document): Plan | undefined {
  const branches = filter.$or;
  if (!Array.isArray(branches) || branches.length === 0) return undefined;
  const keys = new Set<string>();
  const indexes = new Set<string>();
  for (const branch of branches) {
    if (!isPlainDoc(branch)) return undefined;
    const eq = constraints(branch);
    const ids = eq.get('_id');
    if (ids) {
      for (const v of ids.values) keys.add(encodeValue(v));
      indexes.add('_id_');
      continue;
    }
    const found = eq.size > 0 ? lookupKeys(coll, eq) : undefined;
    if (!found) return undefined;
    for (const k of found.keys) keys.add(k);
    indexes.add(found.index);
  }
  return { docs: byKeys(coll, keys), residual: filter, stage: 'OR', indexes: [...indexes] };
}

/** The index answering the longest key prefix within MAX_LOOKUPS look-ups (sparse/partial ones omit documents). */
function bestIndex(
  coll: Indexed,
  eq: Map<string, Constraint>,
): { index: SecondaryIndex; len: number } | undefined {
  let best: { index: SecondaryIndex; len: number } | undefined;
  for (const index of coll.indexes.values()) {
    if (index.spec.sparse || index.spec.partialFilterExpression) continue;
    let len = 0;
    let lookups = 1;
    for (const f of index.fields) {
      const c = eq.get(f);
      if (!c || lookups * c.values.length > MAX_LOOKUPS) break;
      lookups *= c.values.length;
      len++;
    }
    if (len > 0 && (!best || len > best.len)) best = { index, len };
  }
  return best;
}

/** Documents by _id key, each once (5 and 5.0 in one $in name the same document). */
function byKeys(coll: Indexed, keys: Iterable<string>): Document[] {
  const seen = new Set<string>();
  const out: Document[] = [];
  for (const k of keys) {
    if (seen.has(k)) continue;
    seen.add(k);
    const d = coll.docs.get(k);
    if (d) out.push(d);
  }
  return out;
}

/** The filter minus the top-level conditions on `fields` that the look-up answered exactly. */
function without(filter: Document, eq: Map<string, Constraint>, fields: readonly string[]): Document {
  const answered = fields.filter((f) => exactOnIndex(f, eq.get(f) as Constraint));
  if (answered.length === 0) return filter;
  const rest: Document = {};
  for (const [k, v] of Object.entries(filter)) if (!answered.includes(k)) rest[k] = v;
  return rest;
}

function product(lists: unknown[][]): unknown[][] {
  let out: unknown[][] = [[]];
  for (const list of lists) {
    const next: unknown[][] = [];
    for (const t of out) for (const v of list) next.push([...t, v]);
    out = next;
  }
  return out;
}

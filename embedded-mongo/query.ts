import type { Document } from 'bson';
import { Aggregator, prepareOptions, Query } from './mingo.js';
import type { Options } from 'mingo/types';
import type { Collection } from './storage/collection.js';
import type { Engine } from './storage/engine.js';
import { cloneDoc } from './storage/keys.js';
import { simpleProjection } from './projection.js';
import { plan } from './storage/planner.js';

/** Mingo options shared by every query: $lookup resolves collections of the same database. */
export function mingoOptions(engine: Engine, db: string): Partial<Options> {
  let perDb = prepared.get(engine);
  if (!perDb) prepared.set(engine, (perDb = new Map()));
  let options = perDb.get(db);
  if (!options) {
    options = prepareOptions({
      idKey: '_id',
      collectionResolver: (name: string) => [...(engine.collection(db, name)?.docs.values() ?? [])],
    });
    perDb.set(db, options);
  }
  return options;
}

const prepared = new WeakMap<Engine, Map<string, Partial<Options>>>();

export interface FindSpec {
  filter?: Document;
  sort?: Document;
  projection?: Document;
  skip?: number;
  limit?: number;
}

/** Documents of `coll` matching `filter`, using an index for candidate selection when one applies. */
export function matching(
  coll: Collection | undefined,
  filter: Document = {},
  options: Partial<Options> = {},
): Document[] {
  if (!coll) return [];
  const planned = plan(coll, filter);
  // Conditions the index look-up answered exactly are not re-checked: re-checking an $in of n values on
  // each of its n candidates cost n² (mingo hashes the whole list for every document).
  const residual = planned ? planned.residual : filter;
  if (planned && Object.keys(residual).length === 0) return planned.docs;
  const test = textEquality(residual) ?? testOf(residual, options);
  const out: Document[] = [];
  for (const doc of planned ? planned.docs : coll.docs.values()) if (test(doc)) out.push(doc);
  return out;
}

function testOf(filter: Document, options: Partial<Options>): (doc: Document) => boolean {
  const query = new Query(filter, options);
  return (doc) => query.test(doc);
}

/**
 * `{ a: 'x', b: true }` on top-level fields — what is left of a compare-and-set filter such as
 * `{ _id, etag }` — checked directly: compiling a mingo query for each statement of a bulk write cost
 * more than the look-up. A string or boolean equals only itself (or an array holding it) in mongod.
 */
function textEquality(filter: Document): ((doc: Document) => boolean) | undefined {
  const pairs = Object.entries(filter);
  if (pairs.length > 4) return undefined;
  for (const [field, value] of pairs) {
    if (field.startsWith('$') || field.includes('.') || field === '') return undefined;
    if (typeof value !== 'string' && typeof value !== 'boolean') return undefined;
  }
  const holds = (v: unknown, want: unknown) => v === want || (Array.isArray(v) && v.includes(want));
  return (doc) => pairs.every(([field, want]) => holds(doc[field], want));
}

/** find semantics: filter → sort → skip → limit → projection, all by mingo. Results are not cloned. */
export function runFind(
  coll: Collection | undefined,
  spec: FindSpec,
  options: Partial<Options> = {},
): Document[] {
  const docs = matching(coll, spec.filter, options);
  const hasProjection = spec.projection && Object.keys(spec.projection).length > 0;
  const hasSort = spec.sort && Object.keys(spec.sort).length > 0;
  const project = hasProjection ? simpleProjection(spec.projection as Document) : undefined;
  // The common point lookup needs nothing from a mingo cursor.
  if ((!hasProjection || project) && !hasSort && !spec.skip) {
    const found = spec.limit ? docs.slice(0, Math.abs(spec.limit)) : docs;
    return project ? found.map(project) : found;
  }
  const cursor = new Query({}, options).find<Document>(docs, hasProjection ? spec.projection : undefined);
  if (spec.sort && Object.keys(spec.sort).length > 0) cursor.sort(spec.sort);
  if (spec.skip) cursor.skip(spec.skip);
  if (spec.limit) cursor.limit(Math.abs(spec.limit));
  return cursor.all();
}

/**
 * Runs a pipeline. Leading $match stages are answered with the index-aware matcher; the remaining stages
 * run in mingo over copies, because some mingo stages modify their input in place.
 */
export function runPipeline(
  coll: Collection | undefined,
  pipeline: Document[],
  options: Partial<Options>,
): Document[] {
  let i = 0;
  let filter: Document = {};
  while (i < pipeline.length && pipeline[i]?.$match) {
    filter = i === 0 ? pipeline[i]?.$match : { $and: [filter, pipeline[i]?.$match] };
    i++;
  }
  const docs = matching(coll, filter, options).map(cloneDoc);
  const rest = pipeline.slice(i);
  return rest.length === 0 ? docs : new Aggregator(rest, options).run(docs);
}

/** Applies a find projection to one document (findAndModify's `fields`). */
export function projectOne(doc: Document, projection: Document, options: Partial<Options>): Document {
  if (Object.keys(projection).length === 0) return doc;
  return new Query({}, options).find<Document>([doc], projection).all()[0] ?? doc;
}

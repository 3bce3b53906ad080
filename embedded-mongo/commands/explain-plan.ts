import type { Document } from 'bson';
import type { Collection } from '../storage/collection.js';
import { equalities, plan } from '../storage/planner.js';
import { optDoc, optNumber } from './args.js';

/**
 * The plan tree of explain, from the planner's own decision (storage/planner.ts): which stage finds
 * the documents (IDHACK, FETCH over IXSCAN or over an OR of IXSCANs, COLLSCAN, EOF) with mongod's
 * stage names and fields, and the find stages above it.
 */
export interface Access {
  /** The access stage(s): FETCH/IXSCAN, IDHACK, COLLSCAN or EOF. */
  stage: Document;
  keysExamined: number;
  docsExamined: number;
}

/** How `filter` reaches the documents of `coll`, as the planner decides it. */
export function access(coll: Collection | undefined, filter: Document): Access {
  if (!coll) return { stage: { stage: 'EOF' }, keysExamined: 0, docsExamined: 0 };
  const chosen = plan(coll, filter);
  const hasFilter = Object.keys(filter).length > 0;
  if (!chosen) {
    const stage: Document = { stage: 'COLLSCAN', ...(hasFilter ? { filter } : {}), direction: 'forward' };
    return { stage, keysExamined: 0, docsExamined: coll.docs.size };
  }
  const examined = chosen.docs.length;
  if (chosen.stage === 'IDHACK') {
    const residual = Object.keys(chosen.residual).length > 0;
    const idhack: Document = { stage: 'IDHACK', keysExamined: examined, docsExamined: examined };
    const stage = residual ? { stage: 'FETCH', filter: chosen.residual, inputStage: idhack } : idhack;
    return { stage, keysExamined: examined, docsExamined: examined };
  }
  const scans = chosen.indexes.map((name) => indexScan(coll, name, chosen.stage === 'OR' ? {} : filter));
  const input = chosen.stage === 'OR' ? { stage: 'OR', inputStages: scans } : scans[0];
  const fetch: Document = { stage: 'FETCH', inputStage: input };
  if (Object.keys(chosen.residual).length > 0) fetch.filter = chosen.residual;
  return { stage: fetch, keysExamined: examined, docsExamined: examined };
}

/** An IXSCAN stage: the index's key pattern and flags, and the bounds the equalities put on its fields. */
function indexScan(coll: Collection, name: string, filter: Document): Document {
  const index = name === '_id_' ? undefined : coll.indexes.get(name);
  const keyPattern = index?.spec.key ?? { _id: 1 };
  const eq = equalities(filter);
  const bounds: Record<string, string[]> = {};
  let bounded = true;
  for (const field of Object.keys(keyPattern)) {
    const values: unknown[] | undefined = bounded ? eq.get(field) : undefined;
    bounded = values !== undefined;
    bounds[field] = values ? values.map((v) => `[${bound(v)}, ${bound(v)}]`) : ['[MinKey, MaxKey]'];
  }
  return {
    stage: 'IXSCAN',
    keyPattern,
    indexName: name,
    isMultiKey: index?.stats().multiKey ?? false,
    isUnique: name === '_id_' || index?.unique === true,
    isSparse: index?.spec.sparse === true,
    isPartial: index?.spec.partialFilterExpression !== undefined,
    indexVersion: 2,
    direction: 'forward',
    indexBounds: bounds,
  };
}

function bound(v: unknown): string {
  return typeof v === 'string'
    ? JSON.stringify(v)
    : v instanceof Date
      ? `new Date(${v.getTime()})`
      : String(v);
}

/** Copies the plan tree, adding what running it counted: nReturned on the top stage. */
export function withCounts(stage: Document, nReturned: number, ms: number): Document {
  return { ...stage, nReturned, executionTimeMillisEstimate: ms };
}

/** The find wrappers mongod puts above the access stage: SORT, SKIP, LIMIT, PROJECTION. */
export function findStages(body: Document, inner: Document): Document {
  let stage = inner;
  const sort = optDoc(body, 'sort');
  if (sort && Object.keys(sort).length > 0)
    stage = { stage: 'SORT', sortPattern: sort, memLimit: 104_857_600, type: 'simple', inputStage: stage };
  const skip = optNumber(body, 'skip');
  if (skip) stage = { stage: 'SKIP', skipAmount: skip, inputStage: stage };
  const limit = optNumber(body, 'limit');
  if (limit) stage = { stage: 'LIMIT', limitAmount: Math.abs(limit), inputStage: stage };
  const projection = optDoc(body, 'projection');
  if (projection && Object.keys(projection).length > 0)
    stage = { stage: 'PROJECTION_DEFAULT', transformBy: projection, inputStage: stage };
  return stage;
}

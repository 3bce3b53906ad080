import { type Document } from 'bson';
import { Aggregator, update as mingoUpdate } from '../mingo.js';
import type { Options } from 'mingo/types';
import { CommandError } from '../errors.js';
import { Collection } from '../storage/collection.js';
import { cloneDoc, encodeValue, isPlainDoc, sameValue } from '../storage/keys.js';
import { equalities } from '../storage/planner.js';

export type UpdateSpec = Document | Document[];

export interface UpdateArgs {
  q: Document;
  u: UpdateSpec;
  arrayFilters?: Document[];
  options: Partial<Options>;
}

/** Classifies an update: pipeline, operator document or replacement (mixing is rejected like mongod). */
function kind(u: UpdateSpec): 'pipeline' | 'operators' | 'replacement' {
  if (Array.isArray(u)) return 'pipeline';
  const keys = Object.keys(u);
  const ops = keys.filter((k) => k.startsWith('$')).length;
  if (ops === 0) return 'replacement';
  if (ops !== keys.length)
    throw new CommandError('FailedToParse', 'Unknown modifier: update mixes operators and fields');
  return 'operators';
}

/** The updated copy of `doc` (the stored one is never touched) and whether anything changed. */
export function applyUpdate(
  doc: Document,
  args: UpdateArgs,
  inserting = false,
): { doc: Document; changed: boolean } {
  const k = kind(args.u);
  let next: Document;
  if (k === 'replacement') {
    next = { _id: doc._id, ...cloneDoc(args.u as Document) };
    if (next._id === undefined) delete next._id;
  } else if (k === 'pipeline') {
    next = new Aggregator(args.u as Document[], args.options).run([cloneDoc(doc)])[0] ?? {};
  } else if (!inserting && plainSet(args.u as Document)) {
    return setFields(doc, (args.u as Document).$set as Document);
  } else {
    next = cloneDoc(doc);
    const { $setOnInsert, ...ops } = args.u as Document;
    const modifier =
      inserting && isPlainDoc($setOnInsert) ? { ...ops, $set: { ...ops.$set, ...$setOnInsert } } : ops;
    if (Object.keys(modifier).length > 0) {
      try {
        mingoUpdate(next, modifier, args.arrayFilters, args.q, args.options);
      } catch (err) {
        // mingo guards _id itself; give its refusal mongod's error code.
        if (String(err).includes("immutable field '_id'"))
          throw new CommandError('ImmutableField', String((err as Error).message));
        throw err;
      }
    }
  }
  if (!inserting && encodeValue(next._id) !== encodeValue(doc._id)) {
    throw new CommandError(
      'ImmutableField',
      "Performing an update on the path '_id' would modify the immutable field '_id'",
    );
  }
  return { doc: next, changed: inserting || !sameValue(next, doc) };
}

/** `{ $set: { a: …, b: … } }` on top-level fields other than _id: the most common update by far. */
function plainSet(u: Document): boolean {
  const keys = Object.keys(u);
  if (keys.length !== 1 || keys[0] !== '$set' || !isPlainDoc(u.$set)) return false;
  const fields = Object.keys(u.$set);
  return (
    fields.length > 0 &&
    fields.every((f) => f !== '' && f !== '_id' && !f.includes('.') && !f.startsWith('$'))
  );
}

/**
 * A plain $set without mingo's general update machinery: a shallow copy sharing the untouched fields
 * (stored documents are never modified in place), new fields appended in order, as mongod does.
 */
function setFields(doc: Document, set: Document): { doc: Document; changed: boolean } {
  const next: Document = { ...doc };
  let changed = false;
  for (const [field, value] of Object.entries(set)) {
    if (field in doc && sameValue(doc[field], value)) continue;
    next[field] = cloneDoc(value);
    changed = true;
  }
  return { doc: changed ? next : doc, changed };
}

/** The document an upsert inserts: equality fields of the filter, then the update, then an _id. */
export function upsertDocument(args: UpdateArgs): Document {
  const seed: Document = {};
  if (kind(args.u) !== 'replacement') {
    const eq: Document = {};
    for (const [field, values] of equalities(args.q)) {
      if (values.length !== 1) continue;
      // mingo refuses to $set _id (it guards the field on updates), so an _id equality is seeded directly.
      if (field === '_id') seed._id = values[0];
      else eq[field] = values[0];
    }
    if (Object.keys(eq).length > 0) mingoUpdate(seed, { $set: eq }, [], {}, args.options);
  } else {
    const ids = equalities(args.q).get('_id');
    if (ids?.length === 1) seed._id = ids[0];
  }
  const { doc } = applyUpdate(seed, args, true);
  if (doc._id === undefined && seed._id !== undefined) doc._id = seed._id;
  const withId = Collection.withId(doc);
  // mongod stores _id first.
  const { _id, ...rest } = withId;
  return { _id, ...rest };
}

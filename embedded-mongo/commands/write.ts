import type { Document } from 'bson';
import { CommandError, errorReply } from '../errors.js';
import { matching, mingoOptions } from '../query.js';
import { Collection } from '../storage/collection.js';
import { rawOf, rawRef } from '../raw.js';
import { isPlainDoc } from '../storage/keys.js';
import { collName, optDocs } from './args.js';
import type { CommandContext, CommandHandler } from './types.js';
import { applyUpdate, upsertDocument, type UpdateArgs } from './update-doc.js';

interface WriteError {
  index: number;
  code: number;
  errmsg: string;
  [extra: string]: unknown;
}

/**
 * Runs statements in order; a failing statement becomes a writeError with its index. Ordered batches stop
 * at the first error, unordered ones carry on, as mongod does.
 */
function eachStatement<T>(items: T[], ordered: boolean, run: (item: T, index: number) => void): WriteError[] {
  const errors: WriteError[] = [];
  for (let i = 0; i < items.length; i++) {
    try {
      run(items[i] as T, i);
    } catch (err) {
      const { code, errmsg, codeName: _c, ok: _o, ...extra } = errorReply(err);
      errors.push({ index: i, code, errmsg, ...extra });
      if (ordered) break;
    }
  }
  return errors;
}

function withErrors(reply: Document, errors: WriteError[]): Document {
  if (errors.length > 0) reply.writeErrors = errors;
  return reply;
}

function insert(ctx: CommandContext): Document {
  const name = collName(ctx.body, 'insert');
  const docs = optDocs(ctx.body, 'documents');
  const coll = ctx.engine.ensure(ctx.db, name);
  const raws = rawOf(docs);
  let n = 0;
  const errors = eachStatement(docs, ctx.body.ordered !== false, (doc, i) => {
    if (Object.keys(doc).some((k) => k.startsWith('$'))) {
      throw new CommandError('BadValue', "Document can't have $ prefixed field names");
    }
    const stored = Collection.withId(doc);
    // The client's bytes can be journaled as-is unless we had to add an _id.
    ctx.engine.insert(coll, stored, stored === doc ? rawRef(raws, i) : undefined);
    n++;
  });
  return withErrors({ n, ok: 1 }, errors);
}

function update(ctx: CommandContext): Document {
  const name = collName(ctx.body, 'update');
  const statements = optDocs(ctx.body, 'updates');
  const options = mingoOptions(ctx.engine, ctx.db);
  let n = 0;
  let nModified = 0;
  const upserted: Document[] = [];
  const errors = eachStatement(statements, ctx.body.ordered !== false, (st, index) => {
    const u = st.u;
    if (!isPlainDoc(u) && !Array.isArray(u))
      throw new CommandError('FailedToParse', "'u' must be a document or pipeline");
    const args: UpdateArgs = { q: isPlainDoc(st.q) ? st.q : {}, u, arrayFilters: st.arrayFilters, options };
    const coll = ctx.engine.collection(ctx.db, name);
    let targets = matching(coll, args.q, options);
    if (st.multi !== true) targets = targets.slice(0, 1);
    if (targets.length === 0 && st.upsert === true) {
      const doc = upsertDocument(args);
      ctx.engine.insert(ctx.engine.ensure(ctx.db, name), doc);
      upserted.push({ index, _id: doc._id });
      n++;
      return;
    }
    for (const target of targets) {
      const { doc, changed } = applyUpdate(target, args);
      n++;
      if (changed && coll) {
        ctx.engine.replace(coll, doc);
        nModified++;
      }
    }
  });
  const reply: Document = { n, nModified, ok: 1 };
  if (upserted.length > 0) reply.upserted = upserted;
  return withErrors(reply, errors);
}

function remove(ctx: CommandContext): Document {
  const name = collName(ctx.body, 'delete');
  const statements = optDocs(ctx.body, 'deletes');
  const options = mingoOptions(ctx.engine, ctx.db);
  let n = 0;
  const errors = eachStatement(statements, ctx.body.ordered !== false, (st) => {
    const coll = ctx.engine.collection(ctx.db, name);
    let targets = matching(coll, isPlainDoc(st.q) ? st.q : {}, options);
    if (st.limit === 1) targets = targets.slice(0, 1);
    for (const t of targets) if (coll && ctx.engine.remove(coll, t._id)) n++;
  });
  return withErrors({ n, ok: 1 }, errors);
}

export const writeCommands: Record<string, CommandHandler> = { insert, update, delete: remove };

import type { Document } from 'bson';
import { CommandError } from '../errors.js';
import { mingoOptions, projectOne, runFind } from '../query.js';
import { isPlainDoc } from '../storage/keys.js';
import { collName, optDoc } from './args.js';
import type { CommandContext, CommandHandler } from './types.js';
import { applyUpdate, upsertDocument } from './update-doc.js';

/** findAndModify: one document chosen by query+sort, then removed, updated or upserted. */
function findAndModify(ctx: CommandContext): Document {
  const name = collName(ctx.body, ctx.body.findAndModify !== undefined ? 'findAndModify' : 'findandmodify');
  const { body } = ctx;
  const q = optDoc(body, 'query') ?? {};
  const fields = optDoc(body, 'fields');
  const u = body.update;
  if (body.remove === true && u !== undefined)
    throw new CommandError('FailedToParse', 'remove and update are exclusive');
  if (body.remove !== true && !isPlainDoc(u) && !Array.isArray(u)) {
    throw new CommandError('FailedToParse', 'Either an update or remove=true must be specified');
  }
  const options = mingoOptions(ctx.engine, ctx.db);
  const coll = ctx.engine.collection(ctx.db, name);
  const [target] = runFind(coll, { filter: q, sort: optDoc(body, 'sort'), limit: 1 }, options);
  const project = (doc: Document | undefined) => (doc && fields ? projectOne(doc, fields, options) : doc);

  if (body.remove === true) {
    if (target && coll) ctx.engine.remove(coll, target._id);
    return { lastErrorObject: { n: target ? 1 : 0 }, value: project(target) ?? null, ok: 1 };
  }
  const args = { q, u: u as Document | Document[], arrayFilters: body.arrayFilters, options };
  if (!target) {
    if (body.upsert !== true)
      return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
    const doc = upsertDocument(args);
    ctx.engine.insert(ctx.engine.ensure(ctx.db, name), doc);
    const value = body.new === true ? project(doc) : null;
    return { lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id }, value, ok: 1 };
  }
  const { doc, changed } = applyUpdate(target, args);
  if (changed && coll) ctx.engine.replace(coll, doc);
  const value = project(body.new === true ? doc : target);
  return { lastErrorObject: { n: 1, updatedExisting: true }, value: value ?? null, ok: 1 };
}

export const findAndModifyCommands: Record<string, CommandHandler> = {
  findAndModify,
  findandmodify: findAndModify,
};

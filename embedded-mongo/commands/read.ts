import type { Document } from 'bson';
import { CommandError } from '../errors.js';
import { Aggregator } from '../mingo.js';
import { matching, mingoOptions, runFind, runPipeline } from '../query.js';
import { encodeValue, pathValues } from '../storage/keys.js';
import { collName, optDoc, optDocs, optNumber, toBigInt } from './args.js';
import { explainAggregate } from './explain.js';
import { collStatsStage } from './stats.js';
import type { CommandContext, CommandHandler } from './types.js';

function find(ctx: CommandContext): Document {
  const name = collName(ctx.body, 'find');
  const limit = optNumber(ctx.body, 'limit');
  const docs = runFind(
    ctx.engine.collection(ctx.db, name),
    {
      filter: optDoc(ctx.body, 'filter'),
      sort: optDoc(ctx.body, 'sort'),
      projection: optDoc(ctx.body, 'projection'),
      skip: optNumber(ctx.body, 'skip'),
      limit,
    },
    mingoOptions(ctx.engine, ctx.db),
  );
  const singleBatch = ctx.body.singleBatch === true || (limit !== undefined && limit < 0);
  const cursor = ctx.cursors.first(`${ctx.db}.${name}`, docs, optNumber(ctx.body, 'batchSize'), singleBatch);
  return { cursor, ok: 1 };
}

function getMore(ctx: CommandContext): Document {
  const id = toBigInt(ctx.body.getMore);
  const name = typeof ctx.body.collection === 'string' ? ctx.body.collection : '';
  const cursor = ctx.cursors.more(id, `${ctx.db}.${name}`, optNumber(ctx.body, 'batchSize'));
  return { cursor, ok: 1 };
}

function killCursors(ctx: CommandContext): Document {
  const ids = Array.isArray(ctx.body.cursors) ? ctx.body.cursors.map(toBigInt) : [];
  const { killed, notFound } = ctx.cursors.kill(ids);
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
}

function count(ctx: CommandContext): Document {
  const name = collName(ctx.body, 'count');
  const coll = ctx.engine.collection(ctx.db, name);
  const query = optDoc(ctx.body, 'query');
  let n =
    query && Object.keys(query).length > 0
      ? matching(coll, query, mingoOptions(ctx.engine, ctx.db)).length
      : (coll?.docs.size ?? 0);
  n = Math.max(0, n - (optNumber(ctx.body, 'skip') ?? 0));
  const limit = Math.abs(optNumber(ctx.body, 'limit') ?? 0);
  if (limit > 0) n = Math.min(n, limit);
  return { n, ok: 1 };
}

function distinct(ctx: CommandContext): Document {
  const name = collName(ctx.body, 'distinct');
  const key = ctx.body.key;
  if (typeof key !== 'string' || !key)
    throw new CommandError('FailedToParse', "'key' must be a non-empty string");
  const docs = matching(
    ctx.engine.collection(ctx.db, name),
    optDoc(ctx.body, 'query'),
    mingoOptions(ctx.engine, ctx.db),
  );
  const seen = new Map<string, unknown>();
  for (const doc of docs)
    for (const v of pathValues(doc, key)) if (!seen.has(encodeValue(v))) seen.set(encodeValue(v), v);
  return { values: [...seen.values()], ok: 1 };
}

function aggregate(ctx: CommandContext): Document {
  const target = ctx.body.aggregate;
  if (typeof target !== 'string')
    throw new CommandError('InvalidNamespace', "'aggregate' must name a collection");
  const pipeline = optDocs(ctx.body, 'pipeline');
  for (const stage of pipeline) {
    if (stage.$out !== undefined || stage.$merge !== undefined) {
      throw new CommandError('IllegalOperation', '$out and $merge are not supported by embedded-mongo');
    }
  }
  // The legacy form { aggregate, pipeline, explain: true } (mongosh's older helpers).
  if (ctx.body.explain === true) return explainAggregate(ctx, ctx.body, 'queryPlanner');
  if (pipeline.slice(1).some((stage) => stage.$collStats !== undefined))
    throw new CommandError('BadValue', '$collStats is only valid as the first stage in a pipeline');
  const options = mingoOptions(ctx.engine, ctx.db);
  const first = pipeline[0];
  const docs =
    first?.$collStats !== undefined
      ? new Aggregator(pipeline.slice(1), options).run([collStatsStage(ctx, target, first.$collStats)])
      : runPipeline(ctx.engine.collection(ctx.db, target), pipeline, options);

  const cursorOpts = optDoc(ctx.body, 'cursor') ?? {};
  return {
    cursor: ctx.cursors.first(`${ctx.db}.${target}`, docs, optNumber(cursorOpts, 'batchSize')),
    ok: 1,
  };
}

export const readCommands: Record<string, CommandHandler> = {
  find,
  getMore,
  killCursors,
  count,
  distinct,
  aggregate,
};

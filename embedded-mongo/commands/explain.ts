import type { Document } from 'bson';
import { hostname } from 'node:os';
import { CommandError } from '../errors.js';
import { Aggregator } from '../mingo.js';
import { matching, mingoOptions, runFind } from '../query.js';
import type { Collection } from '../storage/collection.js';
import { cloneDoc } from '../storage/keys.js';
import { optDoc, optDocs, optNumber } from './args.js';
import { access, findStages, withCounts } from './explain-plan.js';
import { SERVER_VERSION } from './handshake.js';
import type { CommandContext, CommandHandler } from './types.js';

/**
 * `explain` for find, count, distinct and aggregate, shaped as mongod 7 answers it: `queryPlanner`
 * with the winning plan (IDHACK, FETCH over IXSCAN or over an OR of IXSCANs, or COLLSCAN — the plan the
 * planner actually chose, not a guess) and, for `executionStats`/`allPlansExecution`, the counts of
 * running it: nReturned, totalKeysExamined, totalDocsExamined, executionTimeMillis.
 */
type Verbosity = 'queryPlanner' | 'executionStats' | 'allPlansExecution';

interface Explained {
  namespace: string;
  parsedQuery: Document;
  winningPlan: Document;
  nReturned: number;
  ms: number;
  keysExamined: number;
  docsExamined: number;
}

function explainFind(ctx: CommandContext, coll: Collection | undefined, body: Document): Explained {
  const filter = optDoc(body, 'filter') ?? {};
  const started = performance.now();
  const found = access(coll, filter);
  const docs = runFind(
    coll,
    {
      filter,
      sort: optDoc(body, 'sort'),
      projection: optDoc(body, 'projection'),
      skip: optNumber(body, 'skip'),
      limit: optNumber(body, 'limit'),
    },
    mingoOptions(ctx.engine, ctx.db),
  );
  const ms = Math.round(performance.now() - started);
  return {
    namespace: `${ctx.db}.${body.find}`,
    parsedQuery: filter,
    winningPlan: findStages(body, found.stage),
    nReturned: docs.length,
    ms,
    keysExamined: found.keysExamined,
    docsExamined: found.docsExamined,
  };
}

function explainCount(ctx: CommandContext, coll: Collection | undefined, body: Document): Explained {
  const query = optDoc(body, 'query') ?? {};
  const started = performance.now();
  if (Object.keys(query).length === 0) {
    const n = coll?.docs.size ?? 0;
    const stage = { stage: 'RECORD_STORE_FAST_COUNT', nCounted: n };
    const ms = Math.round(performance.now() - started);
    return {
      namespace: `${ctx.db}.${body.count}`,
      parsedQuery: query,
      winningPlan: stage,
      nReturned: 0,
      ms,
      keysExamined: 0,
      docsExamined: 0,
    };
  }
  const found = access(coll, query);
  const n = matching(coll, query, mingoOptions(ctx.engine, ctx.db)).length;
  const ms = Math.round(performance.now() - started);
  return {
    namespace: `${ctx.db}.${body.count}`,
    parsedQuery: query,
    winningPlan: { stage: 'COUNT', nCounted: n, inputStage: found.stage },
    nReturned: 0,
    ms,
    keysExamined: found.keysExamined,
    docsExamined: found.docsExamined,
  };
}

function explainDistinct(ctx: CommandContext, coll: Collection | undefined, body: Document): Explained {
  const query = optDoc(body, 'query') ?? {};
  const started = performance.now();
  const found = access(coll, query);
  const n = matching(coll, query, mingoOptions(ctx.engine, ctx.db)).length;
  const ms = Math.round(performance.now() - started);
  return {
    namespace: `${ctx.db}.${body.distinct}`,
    parsedQuery: query,
    winningPlan: {
      stage: 'PROJECTION_DEFAULT',
      transformBy: { [String(body.key)]: 1, _id: 0 },
      inputStage: found.stage,
    },
    nReturned: n,
    ms,
    keysExamined: found.keysExamined,
    docsExamined: found.docsExamined,
  };
}

function queryPlanner(e: Explained): Document {
  return {
    namespace: e.namespace,
    indexFilterSet: false,
    parsedQuery: e.parsedQuery,
    maxIndexedOrSolutionsReached: false,
    maxIndexedAndSolutionsReached: false,
    maxScansToExplodeReached: false,
    winningPlan: e.winningPlan,
    rejectedPlans: [],
  };
}

function executionStats(e: Explained, verbosity: Verbosity): Document {
  const stats: Document = {
    executionSuccess: true,
    nReturned: e.nReturned,
    executionTimeMillis: e.ms,
    totalKeysExamined: e.keysExamined,
    totalDocsExamined: e.docsExamined,
    executionStages: withCounts(e.winningPlan, e.nReturned, e.ms),
  };
  if (verbosity === 'allPlansExecution') stats.allPlansExecution = [];
  return stats;
}

function serverInfo(ctx: CommandContext): Document {
  return {
    host: hostname(),
    port: ctx.monitor?.port ?? 0,
    version: SERVER_VERSION,
    gitVersion: 'embedded-mongo',
  };
}

function report(ctx: CommandContext, e: Explained, verbosity: Verbosity, command: Document): Document {
  return {
    explainVersion: '1',
    queryPlanner: queryPlanner(e),
    ...(verbosity === 'queryPlanner' ? {} : { executionStats: executionStats(e, verbosity) }),
    command,
    serverInfo: serverInfo(ctx),
    ok: 1,
  };
}

/** Stages mongod folds into the query itself; a pipeline of only these explains like a find. */
const PUSHED_DOWN = new Set(['$match', '$sort', '$skip', '$limit', '$project']);

export function explainAggregate(ctx: CommandContext, body: Document, verbosity: Verbosity): Document {
  const name = body.aggregate;
  if (typeof name !== 'string')
    throw new CommandError('InvalidNamespace', "'aggregate' must name a collection");
  const pipeline = optDocs(body, 'pipeline');
  const coll = ctx.engine.collection(ctx.db, name);
  let i = 0;
  let filter: Document = {};
  while (i < pipeline.length && pipeline[i]?.$match) {
    filter = i === 0 ? (pipeline[i]?.$match as Document) : { $and: [filter, pipeline[i]?.$match] };
    i++;
  }
  const rest = pipeline.slice(i);
  if (rest.every((stage) => PUSHED_DOWN.has(Object.keys(stage)[0] ?? ''))) {
    const find: Document = { find: name, filter };
    for (const stage of rest) {
      const [op, arg] = Object.entries(stage)[0] ?? [];
      if (op === '$sort') find.sort = arg;
      if (op === '$skip') find.skip = arg;
      if (op === '$limit') find.limit = arg;
      if (op === '$project') find.projection = arg;
    }
    return report(ctx, explainFind(ctx, coll, find), verbosity, body);
  }
  const started = performance.now();
  const found = access(coll, filter);
  const options = mingoOptions(ctx.engine, ctx.db);
  let docs = matching(coll, filter, options).map(cloneDoc);
  const cursorMs = Math.round(performance.now() - started);
  const e: Explained = {
    namespace: `${ctx.db}.${name}`,
    parsedQuery: filter,
    winningPlan: found.stage,
    nReturned: docs.length,
    ms: cursorMs,
    keysExamined: found.keysExamined,
    docsExamined: found.docsExamined,
  };
  const cursor: Document = { queryPlanner: queryPlanner(e) };
  if (verbosity !== 'queryPlanner') cursor.executionStats = executionStats(e, verbosity);
  const stages: Document[] = [
    {
      $cursor: cursor,
      ...(verbosity === 'queryPlanner'
        ? {}
        : { nReturned: docs.length, executionTimeMillisEstimate: cursorMs }),
    },
  ];
  for (const stage of rest) {
    if (verbosity === 'queryPlanner') {
      stages.push(stage);
      continue;
    }
    const t = performance.now();
    docs = new Aggregator([stage], options).run(docs) as Document[];
    stages.push({
      ...stage,
      nReturned: docs.length,
      executionTimeMillisEstimate: Math.round(performance.now() - t),
    });
  }
  return { explainVersion: '1', stages, command: body, serverInfo: serverInfo(ctx), ok: 1 };
}

function verbosityOf(body: Document): Verbosity {
  const v = body.verbosity ?? 'allPlansExecution';
  if (v !== 'queryPlanner' && v !== 'executionStats' && v !== 'allPlansExecution')
    throw new CommandError(
      'FailedToParse',
      `verbosity string must be one of {'queryPlanner', 'executionStats', 'allPlansExecution'}`,
    );
  return v;
}

function explain(ctx: CommandContext): Document {
  const inner = ctx.body.explain;
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner))
    throw new CommandError('FailedToParse', 'explain command requires a nested object');
  const body = inner as Document;
  const verbosity = verbosityOf(ctx.body);
  const command = Object.keys(body)[0] ?? '';
  const target = body[command];
  if (command === 'aggregate') return explainAggregate(ctx, body, verbosity);
  if (typeof target !== 'string')
    throw new CommandError('InvalidNamespace', `'${command}' must name a collection`);
  const coll = ctx.engine.collection(ctx.db, target);
  const run = { find: explainFind, count: explainCount, distinct: explainDistinct }[command];
  if (!run)
    throw new CommandError('CommandNotFound', `explain of '${command}' is not supported by embedded-mongo`);
  return report(ctx, run(ctx, coll, body), verbosity, body);
}

export const explainCommands: Record<string, CommandHandler> = { explain };

import { calculateObjectSize, type Document } from 'bson';
import { hostname } from 'node:os';
import { CommandError } from '../errors.js';
import type { Collection } from '../storage/collection.js';
import { encodeValue } from '../storage/keys.js';
import { collName, optNumber } from './args.js';
import type { CommandContext, CommandHandler } from './types.js';

/**
 * dbStats, collStats and the $collStats stage, with mongod's field names. Sizes are what the data takes
 * in memory as BSON (there is no compression, so storageSize equals dataSize); index sizes are
 * estimates from their entries. `scale` divides every size, as in mongod.
 */
export interface CollectionSizes {
  count: number;
  size: number;
  avgObjSize: number;
  nindexes: number;
  indexSizes: Record<string, number>;
  totalIndexSize: number;
}

export function collectionSizes(coll: Collection | undefined): CollectionSizes {
  if (!coll) return { count: 0, size: 0, avgObjSize: 0, nindexes: 0, indexSizes: {}, totalIndexSize: 0 };
  let size = 0;
  let idBytes = 0;
  for (const doc of coll.docs.values()) {
    size += calculateObjectSize(doc);
    idBytes += encodeValue(doc._id).length + 8;
  }
  const indexSizes: Record<string, number> = { _id_: idBytes };
  for (const [name, index] of coll.indexes) indexSizes[name] = index.stats().bytes;
  const totalIndexSize = Object.values(indexSizes).reduce((a, b) => a + b, 0);
  const count = coll.docs.size;
  return {
    count,
    size,
    avgObjSize: count === 0 ? 0 : Math.round(size / count),
    nindexes: coll.indexes.size + 1,
    indexSizes,
    totalIndexSize,
  };
}

function scaleOf(body: Document): number {
  const scale = optNumber(body, 'scale') ?? 1;
  if (!Number.isFinite(scale) || scale < 1) throw new CommandError('BadValue', 'scale has to be > 0');
  return Math.floor(scale);
}

/** The storageStats document of collStats and $collStats. */
export function storageStats(coll: Collection | undefined, scale = 1): Document {
  const s = collectionSizes(coll);
  const scaled = (n: number) => Math.floor(n / scale);
  return {
    size: scaled(s.size),
    count: s.count,
    avgObjSize: s.avgObjSize,
    storageSize: scaled(s.size),
    freeStorageSize: 0,
    capped: false,
    nindexes: s.nindexes,
    indexDetails: {},
    indexBuilds: [],
    totalIndexSize: scaled(s.totalIndexSize),
    totalSize: scaled(s.size + s.totalIndexSize),
    indexSizes: Object.fromEntries(Object.entries(s.indexSizes).map(([k, v]) => [k, scaled(v)])),
    scaleFactor: scale,
  };
}

function dbStats(ctx: CommandContext): Document {
  const scale = scaleOf(ctx.body);
  const colls = [...(ctx.engine.dbs.get(ctx.db)?.values() ?? [])];
  let objects = 0;
  let dataSize = 0;
  let indexes = 0;
  let indexSize = 0;
  for (const c of colls) {
    const s = collectionSizes(c);
    objects += s.count;
    dataSize += s.size;
    indexes += s.nindexes;
    indexSize += s.totalIndexSize;
  }
  const scaled = (n: number) => Math.floor(n / scale);
  return {
    db: ctx.db,
    collections: colls.length,
    views: 0,
    objects,
    avgObjSize: objects === 0 ? 0 : dataSize / objects,
    dataSize: scaled(dataSize),
    storageSize: scaled(dataSize),
    indexes,
    indexSize: scaled(indexSize),
    totalSize: scaled(dataSize + indexSize),
    scaleFactor: scale,
    ok: 1,
  };
}

function collStats(ctx: CommandContext): Document {
  const name = collName(ctx.body, 'collStats');
  const coll = ctx.engine.collection(ctx.db, name);
  if (!coll) throw new CommandError('NamespaceNotFound', `Collection [${ctx.db}.${name}] not found.`);
  return { ns: `${ctx.db}.${name}`, ...storageStats(coll, scaleOf(ctx.body)), ok: 1 };
}

/** `{ $collStats: { storageStats: {}, count: {} } }` as the first stage of an aggregate: one document. */
export function collStatsStage(ctx: CommandContext, collection: string, spec: unknown): Document {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec))
    throw new CommandError('FailedToParse', '$collStats must take a nested object');
  const options = spec as Document;
  const coll = ctx.engine.collection(ctx.db, collection);
  const out: Document = { ns: `${ctx.db}.${collection}`, host: hostname(), localTime: new Date() };
  if (options.storageStats !== undefined) {
    const scale =
      typeof options.storageStats?.scale === 'number' ? Math.max(1, options.storageStats.scale) : 1;
    out.storageStats = storageStats(coll, scale);
  }
  if (options.count !== undefined) out.count = coll?.docs.size ?? 0;
  if (options.latencyStats !== undefined) {
    const zero = { latency: 0, ops: 0 };
    out.latencyStats = { reads: zero, writes: zero, commands: zero, transactions: zero };
  }
  return out;
}

export const statsCommands: Record<string, CommandHandler> = { dbStats, collStats };

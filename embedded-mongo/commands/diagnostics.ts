import { calculateObjectSize, type Document } from 'bson';
import { hostname } from 'node:os';
import { collName } from './args.js';
import { SERVER_VERSION } from './handshake.js';
import type { CommandContext, CommandHandler } from './types.js';

/**
 * The informational commands mongosh and Compass issue on connect. Answers are minimal but truthful,
 * so those tools start without errors; nothing here changes data.
 */
const startedAt = Date.now();

function serverStatus(): Document {
  return {
    host: hostname(),
    version: SERVER_VERSION,
    process: 'embedded-mongo',
    pid: process.pid,
    uptime: Math.floor((Date.now() - startedAt) / 1000),
    uptimeMillis: Date.now() - startedAt,
    localTime: new Date(),
    ok: 1,
  };
}

function dbStats(ctx: CommandContext): Document {
  const colls = [...(ctx.engine.dbs.get(ctx.db)?.values() ?? [])];
  let objects = 0;
  let dataSize = 0;
  let indexes = 0;
  for (const c of colls) {
    objects += c.docs.size;
    indexes += c.indexes.size + 1;
    for (const d of c.docs.values()) dataSize += calculateObjectSize(d);
  }
  return { db: ctx.db, collections: colls.length, objects, dataSize, indexes, ok: 1 };
}

function collStats(ctx: CommandContext): Document {
  const name = collName(ctx.body, 'collStats');
  const coll = ctx.engine.collection(ctx.db, name);
  let size = 0;
  for (const d of coll?.docs.values() ?? []) size += calculateObjectSize(d);
  return {
    ns: `${ctx.db}.${name}`,
    count: coll?.docs.size ?? 0,
    size,
    nindexes: coll ? coll.indexes.size + 1 : 0,
    ok: 1,
  };
}

export const diagnosticCommands: Record<string, CommandHandler> = {
  serverStatus,
  dbStats,
  collStats,
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  hostInfo: () => ({ system: { hostname: hostname() }, os: { type: process.platform }, extra: {}, ok: 1 }),
  getCmdLineOpts: () => ({ argv: ['embedded-mongo'], parsed: {}, ok: 1 }),
  getParameter: () => ({ featureCompatibilityVersion: { version: '7.0' }, ok: 1 }),
  getLog: () => ({ totalLinesWritten: 0, log: [], ok: 1 }),
};

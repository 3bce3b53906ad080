import type { Document } from 'bson';
import { hostname } from 'node:os';
import { SERVER_VERSION } from './handshake.js';
import { statsCommands } from './stats.js';
import type { CommandContext, CommandHandler } from './types.js';

/**
 * The informational commands mongosh and Compass issue on connect. Answers are minimal but truthful,
 * so those tools start without errors; nothing here changes data.
 */
const startedAt = Date.now();
const MB = 1024 * 1024;

/** serverStatus essentials: host, version, uptime, connections, op counters, memory. */
function serverStatus(ctx: CommandContext): Document {
  const monitor = ctx.monitor;
  const since = monitor?.startedAt ?? startedAt;
  const uptimeMillis = Date.now() - since;
  const memory = process.memoryUsage();
  return {
    host: monitor?.port ? `${hostname()}:${monitor.port}` : hostname(),
    version: SERVER_VERSION,
    process: 'embedded-mongo',
    pid: process.pid,
    uptime: Math.floor(uptimeMillis / 1000),
    uptimeMillis,
    uptimeEstimate: Math.floor(uptimeMillis / 1000),
    localTime: new Date(),
    connections: {
      current: monitor?.connections.current ?? 0,
      available: 1_000_000 - (monitor?.connections.current ?? 0),
      totalCreated: monitor?.connections.totalCreated ?? 0,
      active: monitor?.inProgress().length ?? 0,
    },
    opcounters: {
      ...(monitor?.opcounters ?? { insert: 0, query: 0, update: 0, delete: 0, getmore: 0, command: 0 }),
    },
    mem: {
      bits: 64,
      resident: Math.round(memory.rss / MB),
      virtual: Math.round((memory.rss + memory.external) / MB),
      supported: true,
    },
    ok: 1,
  };
}

/**
 * currentOp: the commands between arrival and reply, this one included. The server runs one command at
 * a time, so others show only while their writes wait for the journal. `$ownOps`/filters are not applied.
 */
function currentOp(ctx: CommandContext): Document {
  const now = Date.now();
  const host = `${hostname()}:${ctx.monitor?.port ?? 0}`;
  const inprog = (ctx.monitor?.inProgress() ?? []).map((op) => ({
    type: 'op',
    host,
    desc: `conn${op.connectionId}`,
    connectionId: op.connectionId,
    client: op.client,
    active: true,
    opid: op.opid,
    secs_running: Math.floor((now - op.startedAt) / 1000),
    microsecs_running: (now - op.startedAt) * 1000,
    op: 'command',
    ns: op.ns,
    command: op.command,
    waitingForLock: false,
    currentOpTime: new Date(op.startedAt).toISOString(),
  }));
  return { inprog, ok: 1 };
}

export const diagnosticCommands: Record<string, CommandHandler> = {
  serverStatus,
  currentOp,
  ...statsCommands,
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  hostInfo: () => ({ system: { hostname: hostname() }, os: { type: process.platform }, extra: {}, ok: 1 }),
  getCmdLineOpts: () => ({ argv: ['embedded-mongo'], parsed: {}, ok: 1 }),
  getParameter: () => ({ featureCompatibilityVersion: { version: '7.0' }, ok: 1 }),
  getLog: () => ({ totalLinesWritten: 0, log: [], ok: 1 }),
};

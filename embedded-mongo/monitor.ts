import type { Document } from 'bson';

/** One command between its arrival and its reply (a write waits for the journal in between). */
export interface OpInProgress {
  opid: number;
  connectionId: number;
  client: string;
  ns: string;
  command: Document;
  startedAt: number;
}

/** The op counter a command moves, as mongod counts them (documents for writes, one per query). */
function opKind(name: string, body: Document): { kind: keyof Opcounters; n: number } {
  const many = (field: string) => (Array.isArray(body[field]) ? (body[field] as unknown[]).length : 1);
  switch (name) {
    case 'insert':
      return { kind: 'insert', n: many('documents') };
    case 'update':
      return { kind: 'update', n: many('updates') };
    case 'delete':
      return { kind: 'delete', n: many('deletes') };
    case 'find':
      return { kind: 'query', n: 1 };
    case 'getMore':
      return { kind: 'getmore', n: 1 };
    default:
      return { kind: 'command', n: 1 };
  }
}

export interface Opcounters {
  insert: number;
  query: number;
  update: number;
  delete: number;
  getmore: number;
  command: number;
}

/**
 * What serverStatus and currentOp report about the server itself: connections, op counters and the
 * commands in progress. One per wire server; commands run without one (unit tests) report zeros.
 */
export class ServerMonitor {
  readonly startedAt = Date.now();
  readonly connections = { current: 0, totalCreated: 0 };
  readonly opcounters: Opcounters = { insert: 0, query: 0, update: 0, delete: 0, getmore: 0, command: 0 };
  private readonly ops = new Map<number, OpInProgress>();
  private nextOpId = 1;

  /** The TCP port, once listening (serverInfo of explain, host of currentOp). */
  port = 0;

  connected(): void {
    this.connections.current++;
    this.connections.totalCreated++;
  }

  disconnected(): void {
    this.connections.current--;
  }

  /** Registers a command as in progress and counts it; returns its opid for `end`. */
  begin(connectionId: number, client: string, body: Document): number {
    const name = Object.keys(body)[0] ?? '';
    const { kind, n } = opKind(name, body);
    this.opcounters[kind] += n;
    const opid = this.nextOpId++;
    const db = typeof body.$db === 'string' ? body.$db : 'admin';
    const coll = typeof body[name] === 'string' ? (body[name] as string) : '$cmd';
    this.ops.set(opid, {
      opid,
      connectionId,
      client,
      ns: `${db}.${coll}`,
      command: body,
      startedAt: Date.now(),
    });
    return opid;
  }

  end(opid: number): void {
    this.ops.delete(opid);
  }

  inProgress(): OpInProgress[] {
    return [...this.ops.values()];
  }
}

import type { Document } from 'bson';
import type { Logger } from 'pino';
import type { CursorRegistry } from '../cursors.js';
import type { ServerMonitor } from '../monitor.js';
import type { Engine } from '../storage/engine.js';

/** What a command handler gets: the parsed body, the target database and the server state. */
export interface CommandContext {
  body: Document;
  db: string;
  engine: Engine;
  cursors: CursorRegistry;
  connectionId: number;
  logger?: Logger;
  /** Connections, op counters and commands in progress (serverStatus, currentOp); absent in unit tests. */
  monitor?: ServerMonitor;
}

export type CommandHandler = (ctx: CommandContext) => Document;

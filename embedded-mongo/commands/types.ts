import type { Document } from 'bson';
import type { Logger } from 'pino';
import type { CursorRegistry } from '../cursors.js';
import type { Engine } from '../storage/engine.js';

/** What a command handler gets: the parsed body, the target database and the server state. */
export interface CommandContext {
  body: Document;
  db: string;
  engine: Engine;
  cursors: CursorRegistry;
  connectionId: number;
  logger?: Logger;
}

export type CommandHandler = (ctx: CommandContext) => Document;

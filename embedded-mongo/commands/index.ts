import type { Document } from 'bson';
import { CommandError, errorReply } from '../errors.js';
import { adminCommands } from './admin.js';
import { diagnosticCommands } from './diagnostics.js';
import { explainCommands } from './explain.js';
import { findAndModifyCommands } from './find-and-modify.js';
import { handshakeCommands } from './handshake.js';
import { indexCommands } from './indexes.js';
import { readCommands } from './read.js';
import type { CommandContext, CommandHandler } from './types.js';
import { commandName } from './name.js';
import { writeCommands } from './write.js';

export { commandName };

const handlers = new Map<string, CommandHandler>(
  Object.entries({
    ...handshakeCommands,
    ...readCommands,
    ...writeCommands,
    ...findAndModifyCommands,
    ...adminCommands,
    ...indexCommands,
    ...diagnosticCommands,
    ...explainCommands,
  }),
);

/** Commands that never change data: their replies need not wait for the journal. */
const READ_ONLY = new Set([
  ...Object.keys(handshakeCommands),
  ...Object.keys(diagnosticCommands),
  ...Object.keys(explainCommands),
  ...Object.keys(readCommands).filter((n) => n !== 'aggregate'),
  'listCollections',
  'listDatabases',
  'listIndexes',
]);

export function isReadOnly(name: string): boolean {
  return READ_ONLY.has(name);
}

/** Runs one command document; failures (ours or mingo's) become `{ ok: 0 }` replies, never exceptions. */
export function runCommand(ctx: Omit<CommandContext, 'db'>): Document {
  const name = commandName(ctx.body);
  try {
    const handler = handlers.get(name);
    if (!handler) throw new CommandError('CommandNotFound', `no such command: '${name}'`);
    // A standalone mongod refuses any transaction, whatever the command.
    const { txnNumber, autocommit, startTransaction } = ctx.body;
    if (txnNumber !== undefined || autocommit !== undefined || startTransaction !== undefined) {
      throw new CommandError(
        'IllegalOperation',
        'Transaction numbers are only allowed on a replica set member or mongos',
      );
    }
    const db = typeof ctx.body.$db === 'string' ? ctx.body.$db : 'admin';
    return handler({ ...ctx, db });
  } catch (err) {
    return errorReply(err);
  }
}

import net from 'node:net';
import type { Logger } from 'pino';
import type { Document } from 'bson';
import { commandName, isReadOnly, runCommand } from './commands/index.js';
import { CursorRegistry } from './cursors.js';
import { CommandError, errorReply } from './errors.js';
import type { Engine } from './storage/engine.js';
import { MessageFramer } from './framer.js';
import { ServerMonitor } from './monitor.js';
import { encodeReply, parseMessage, ProtocolError, type Command } from './wire.js';

export interface WireServer {
  port: number;
  close(): Promise<void>;
}

/**
 * TCP front end on 127.0.0.1. Messages on one connection are handled strictly in order (a reply is sent
 * only after the journal made the command's writes durable); a malformed message closes that connection.
 */
export async function listen(
  engine: Engine,
  port: number,
  logger?: Logger,
  afterWrite?: () => void,
): Promise<WireServer> {
  const cursors = new CursorRegistry();
  const sockets = new Set<net.Socket>();
  let nextConnectionId = 1;
  const monitor = new ServerMonitor();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    monitor.connected();
    socket.on('close', () => {
      sockets.delete(socket);
      monitor.disconnected();
    });
    const client = `${socket.remoteAddress ?? '127.0.0.1'}:${socket.remotePort ?? 0}`;
    serve(socket, { engine, cursors, connectionId: nextConnectionId++, client, logger, afterWrite, monitor });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address() as net.AddressInfo;
  monitor.port = address.port;
  return {
    port: address.port,
    close: async () => {
      cursors.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

interface ConnState {
  engine: Engine;
  cursors: CursorRegistry;
  connectionId: number;
  client: string;
  logger?: Logger;
  afterWrite?: () => void;
  monitor: ServerMonitor;
}

function serve(socket: net.Socket, state: ConnState): void {
  socket.setNoDelay(true);
  const framer = new MessageFramer();
  // Set only while a write waits for the journal: later messages queue behind it so replies keep their
  // order. Otherwise a message is answered at once, without a promise per message.
  let pending: Promise<void> | undefined;

  const fail = (reason: string) => {
    state.logger?.warn(
      { connectionId: state.connectionId, reason },
      'closing connection after a protocol error',
    );
    socket.destroy();
  };

  const settle = (work: Promise<void>): void => {
    const tail: Promise<void> = work
      .catch((err) => fail(String(err)))
      .then(() => {
        if (pending === tail) pending = undefined;
      });
    pending = tail;
  };

  const accept = (msg: Buffer): void => {
    if (pending) return settle(pending.then(() => handle(socket, msg, state)));
    let waiting: Promise<void> | undefined;
    try {
      waiting = handle(socket, msg, state);
    } catch (err) {
      return fail(String(err));
    }
    if (waiting) settle(waiting);
  };

  socket.on('data', (chunk: Buffer) => {
    let messages: Buffer[];
    try {
      messages = framer.push(chunk);
    } catch (err) {
      return fail(String(err));
    }
    for (const msg of messages) accept(msg);
  });
  socket.on('error', () => socket.destroy());
}

function parse(msg: Buffer): Command {
  try {
    return parseMessage(msg);
  } catch (err) {
    throw err instanceof ProtocolError ? err : new ProtocolError(`unparseable message: ${String(err)}`);
  }
}

/**
 * Runs one message. A read is answered before this returns; a write returns the promise of its reply,
 * which is sent only once the journal made the write durable.
 */
function handle(socket: net.Socket, msg: Buffer, state: ConnState): Promise<void> | undefined {
  if (socket.destroyed) return undefined;
  const cmd = parse(msg);
  // In progress from here until its reply is written (a write waits for the journal in between).
  const opid = state.monitor.begin(state.connectionId, state.client, cmd.body);
  const reply = runCommand({
    body: cmd.body,
    engine: state.engine,
    cursors: state.cursors,
    connectionId: state.connectionId,
    logger: state.logger,
    monitor: state.monitor,
  });
  if (isReadOnly(commandName(cmd.body))) {
    try {
      respond(socket, cmd, reply);
    } finally {
      state.monitor.end(opid);
    }
    return undefined;
  }
  return durable(reply, state)
    .then((answer) => respond(socket, cmd, answer))
    .finally(() => state.monitor.end(opid));
}

/** The reply once the journal holds the command's writes, or the failure if it could not. */
async function durable(reply: Document, state: ConnState): Promise<Document> {
  try {
    await state.engine.sink.sync();
    return reply;
  } catch (err) {
    // Not durable, so not acknowledged: the client sees a failure instead of a false success.
    // Its changes were rolled back in memory too (see Journal).
    const message = err instanceof Error ? err.message : String(err);
    return errorReply(new CommandError('InternalError', message));
  } finally {
    state.afterWrite?.();
  }
}

function respond(socket: net.Socket, cmd: Command, reply: Document): void {
  if (cmd.moreToCome || socket.destroyed) return;
  socket.write(encodeReply(cmd, reply));
}

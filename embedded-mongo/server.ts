import net from 'node:net';
import type { Logger } from 'pino';
import { isReadOnly, runCommand } from './commands/index.js';
import { CursorRegistry } from './cursors.js';
import { CommandError, errorReply } from './errors.js';
import type { Engine } from './storage/engine.js';
import { MessageFramer } from './framer.js';
import { ServerMonitor } from './monitor.js';
import { encodeReply, parseMessage, ProtocolError } from './wire.js';

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
  let queue = Promise.resolve();

  const fail = (reason: string) => {
    state.logger?.warn(
      { connectionId: state.connectionId, reason },
      'closing connection after a protocol error',
    );
    socket.destroy();
  };

  socket.on('data', (chunk: Buffer) => {
    let messages: Buffer[];
    try {
      messages = framer.push(chunk);
    } catch (err) {
      return fail(String(err));
    }
    for (const msg of messages) {
      queue = queue.then(() => handle(socket, msg, state)).catch((err) => fail(String(err)));
    }
  });
  socket.on('error', () => socket.destroy());
}

async function handle(socket: net.Socket, msg: Buffer, state: ConnState): Promise<void> {
  if (socket.destroyed) return;
  let cmd;
  try {
    cmd = parseMessage(msg);
  } catch (err) {
    throw err instanceof ProtocolError ? err : new ProtocolError(`unparseable message: ${String(err)}`);
  }
  // In progress from here until its reply is written (a write waits for the journal in between).
  const opid = state.monitor.begin(state.connectionId, state.client, cmd.body);
  try {
    let reply = runCommand({
      body: cmd.body,
      engine: state.engine,
      cursors: state.cursors,
      connectionId: state.connectionId,
      logger: state.logger,
      monitor: state.monitor,
    });
    const name = Object.keys(cmd.body)[0] ?? '';
    if (!isReadOnly(name)) {
      try {
        await state.engine.sink.sync();
      } catch (err) {
        // Not durable, so not acknowledged: the client sees a failure instead of a false success.
        // Its changes were rolled back in memory too (see Journal).
        const message = err instanceof Error ? err.message : String(err);
        reply = errorReply(new CommandError('InternalError', message));
      }
      state.afterWrite?.();
    }
    if (cmd.moreToCome || socket.destroyed) return;
    socket.write(encodeReply(cmd, reply));
  } finally {
    state.monitor.end(opid);
  }
}

import { createServer, type AddressInfo, type Server } from 'node:net';
import { handshakeCommands } from '../../embedded-mongo/commands/handshake.js';
import type { CommandContext } from '../../embedded-mongo/commands/types.js';
import { MessageFramer } from '../../embedded-mongo/framer.js';
import { encodeReply, HEADER_SIZE, OP_MSG, parseMessage } from '../../embedded-mongo/wire.js';

/** The command name of an OP_MSG: the first element's name in its body (kind 0 section at byte 21). */
const BODY_NAME_AT = HEADER_SIZE + 4 + 1 + 4 + 1;
const isHandshake = (msg: Buffer): boolean => {
  if (msg.readInt32LE(12) !== OP_MSG) return true; // OP_QUERY: only the legacy handshake uses it
  const name = msg.toString('latin1', BODY_NAME_AT, BODY_NAME_AT + 8).toLowerCase();
  return name.startsWith('hello') || name.startsWith('ismaster');
};

/**
 * A wire server that does no work: it frames messages and answers every command `{ ok: 1 }` from bytes
 * made once (only the handshake is parsed and answered as embedded-mongo answers it, so the official
 * driver connects). A `ping` through the driver to it costs the driver and the sockets, nothing else:
 * the floor under any server's ping, against which embedded-mongo's own cost is measured.
 */
export async function startIdleWireServer(): Promise<{ uri: string; close: () => Promise<void> }> {
  const ok = encodeReply({ body: {}, requestId: 0, opCode: OP_MSG, moreToCome: false }, { ok: 1 });
  let connections = 0;
  const server: Server = createServer((socket) => {
    socket.setNoDelay(true);
    const framer = new MessageFramer();
    const connectionId = ++connections;
    socket.on('data', (chunk: Buffer) => {
      for (const msg of framer.push(chunk)) {
        if (isHandshake(msg)) {
          const cmd = parseMessage(msg);
          const hello = handshakeCommands.hello as (ctx: CommandContext) => object;
          socket.write(encodeReply(cmd, hello({ connectionId } as CommandContext)));
        } else {
          const reply = Buffer.from(ok);
          reply.writeInt32LE(msg.readInt32LE(4), 8); // responseTo: the request's id
          socket.write(reply);
        }
      }
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    uri: `mongodb://127.0.0.1:${port}/?directConnection=true`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LoopbackConnector } from '../../support/loopback-connector.js';

/**
 * A gate in front of the loopback Bot Connector, to give the real server a connector that misbehaves as
 * Teams' can: refuse a reply (e.g. 403 when the bot was removed from the conversation) or take its time,
 * so a turn is still in flight when the process is told to stop. Everything else (and every roster
 * lookup) is passed through.
 */
export interface GatedConnector {
  serviceUrl: string;
  /** The Authorization header of every call, as the bot sent it (to prove a token was in flight). */
  authorizations: string[];
  /** The next `count` calls are answered `status` and never reach the connector. */
  refuseNext(count: number, status: number, body: unknown): void;
  /** The next call waits until `release()`; `arrived` resolves once it is waiting. */
  holdNext(): { arrived: Promise<void>; release: () => void };
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startGatedConnector(target: LoopbackConnector): Promise<GatedConnector> {
  let refusals: Array<{ status: number; body: unknown }> = [];
  let held: { arrive: () => void; released: Promise<void> } | undefined;
  const authorizations: string[] = [];

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      authorizations.push(req.headers.authorization ?? '');
      // Roster lookups (GET …/members/{id}) pass straight through: refusals and holds are for what the bot sends.
      const rosterLookup = req.method === 'GET';
      const refusal = rosterLookup ? undefined : refusals.shift();
      if (refusal) {
        res.writeHead(refusal.status, { 'content-type': 'application/json' });
        return res.end(JSON.stringify(refusal.body));
      }
      const hold = rosterLookup ? undefined : held;
      if (!rosterLookup) held = undefined;
      if (hold) {
        hold.arrive();
        await hold.released;
      }
      const forwarded = await fetch(new URL(req.url ?? '/', target.serviceUrl), {
        method: req.method,
        headers: { 'content-type': 'application/json' },
        body: req.method === 'GET' || req.method === 'DELETE' ? undefined : body,
      });
      res.writeHead(forwarded.status, { 'content-type': 'application/json' });
      res.end(Buffer.from(await forwarded.arrayBuffer()));
    })().catch((err: unknown) => {
      res.writeHead(502);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    authorizations,
    refuseNext(count, status, body) {
      refusals = Array.from({ length: count }, () => ({ status, body }));
    },
    holdNext() {
      let arrive: () => void = () => undefined;
      let release: () => void = () => undefined;
      const arrived = new Promise<void>((r) => (arrive = r));
      const released = new Promise<void>((r) => (release = r));
      held = { arrive, released };
      return { arrived, release };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

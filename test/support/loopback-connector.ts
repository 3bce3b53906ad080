import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';

/**
 * A stand-in for the Bot Connector service on 127.0.0.1: activities the bot sends to `serviceUrl` land
 * here and are recorded, so end-to-end tests and the benchmark see exactly what Teams would receive.
 */
export type ConnectorCall =
  | { kind: 'send'; conversationId: string; activity: Partial<Activity>; id: string }
  | { kind: 'reply'; conversationId: string; replyToId: string; activity: Partial<Activity>; id: string }
  | { kind: 'update'; conversationId: string; activityId: string; activity: Partial<Activity> }
  | { kind: 'delete'; conversationId: string; activityId: string };

export interface LoopbackConnector {
  /** The serviceUrl to put on incoming activities (ends with a slash, as Teams' does). */
  readonly serviceUrl: string;
  readonly calls: readonly ConnectorCall[];
  /** Messages sent or replied (not updates), in order. */
  messages(): Array<Partial<Activity>>;
  updates(): Array<Extract<ConnectorCall, { kind: 'update' }>>;
  clear(): void;
  close(): Promise<void>;
}

const ROUTE = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/;

async function readJson(req: IncomingMessage): Promise<Partial<Activity>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Partial<Activity>) : {};
}

export async function startLoopbackConnector(): Promise<LoopbackConnector> {
  const calls: ConnectorCall[] = [];
  let nextId = 1;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const route = ROUTE.exec(new URL(req.url ?? '/', 'http://x').pathname);
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!route) return answer(404, { error: { code: 'NotFound', message: `${req.method} ${req.url}` } });
    const conversationId = decodeURIComponent(route[1] ?? '');
    const activityId = route[2] === undefined ? undefined : decodeURIComponent(route[2]);
    if (req.method === 'DELETE' && activityId) {
      calls.push({ kind: 'delete', conversationId, activityId });
      return answer(200, {});
    }
    const activity = await readJson(req);
    if (req.method === 'PUT' && activityId) {
      calls.push({ kind: 'update', conversationId, activityId, activity });
      return answer(200, { id: activityId });
    }
    if (req.method !== 'POST') return answer(405, { error: { code: 'MethodNotAllowed' } });
    const id = `loopback-${nextId++}`;
    calls.push(
      activityId
        ? { kind: 'reply', conversationId, replyToId: activityId, activity, id }
        : { kind: 'send', conversationId, activity, id },
    );
    return answer(200, { id });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    calls,
    messages: () => calls.flatMap((c) => (c.kind === 'send' || c.kind === 'reply' ? [c.activity] : [])),
    updates: () => calls.filter((c): c is Extract<ConnectorCall, { kind: 'update' }> => c.kind === 'update'),
    clear: () => void calls.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

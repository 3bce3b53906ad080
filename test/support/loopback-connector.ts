import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';
import { TEST_USERS, TENANT, type TeamsUser } from '../bot/teams-activity.js';

/**
 * A stand-in for the Bot Connector service on 127.0.0.1: activities the bot sends to `serviceUrl` land
 * here and are recorded, so end-to-end tests and the benchmark see exactly what Teams would receive.
 */
export type ConnectorCall =
  | { kind: 'send'; conversationId: string; activity: Partial<Activity>; id: string }
  | { kind: 'reply'; conversationId: string; replyToId: string; activity: Partial<Activity>; id: string }
  | { kind: 'update'; conversationId: string; activityId: string; activity: Partial<Activity> }
  | { kind: 'delete'; conversationId: string; activityId: string };

/** A roster lookup (kept apart from `calls`, which are what the bot sends). */
export interface MemberLookup {
  conversationId: string;
  userId: string;
  found: boolean;
}

export interface LoopbackConnector {
  /** The serviceUrl to put on incoming activities (ends with a slash, as Teams' does). */
  readonly serviceUrl: string;
  readonly calls: readonly ConnectorCall[];
  /** Roster lookups (GET …/members/{userId}) so far. */
  memberLookups(): readonly MemberLookup[];
  /** Messages sent or replied (not updates), in order. */
  messages(): Array<Partial<Activity>>;
  updates(): Array<Extract<ConnectorCall, { kind: 'update' }>>;
  clear(): void;
  close(): Promise<void>;
}

const ROUTE = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/;
const MEMBER = /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)\/?$/;

/**
 * Teams' answer to "get single member": a TeamsChannelAccount found by Teams user id or Entra object
 * id; an unknown one is a 404 MemberNotFoundInConversation, as the real service answers.
 */
function member(users: readonly TeamsUser[], userId: string) {
  const u = users.find((x) => x.id === userId || x.aadObjectId.toLowerCase() === userId.toLowerCase());
  if (!u) return undefined;
  const [givenName, ...rest] = u.name.split(' ');
  const upn = `${u.name.toLowerCase().replace(/\s+/g, '.')}@contoso.example`;
  return {
    id: u.id,
    name: u.name,
    aadObjectId: u.aadObjectId,
    givenName,
    surname: rest.join(' '),
    email: upn,
    userPrincipalName: upn,
    tenantId: TENANT,
    userRole: 'user',
  };
}

async function readJson(req: IncomingMessage): Promise<Partial<Activity>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Partial<Activity>) : {};
}

/** `members`: the Teams roster it answers for (the test tenant's users unless said). */
export async function startLoopbackConnector(
  options: { members?: readonly TeamsUser[] } = {},
): Promise<LoopbackConnector> {
  const members = options.members ?? TEST_USERS;
  const calls: ConnectorCall[] = [];
  const lookups: MemberLookup[] = [];
  let nextId = 1;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    const route = ROUTE.exec(pathname);
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const memberRoute = MEMBER.exec(pathname);
    if (memberRoute && req.method === 'GET') {
      const conversationId = decodeURIComponent(memberRoute[1] ?? '');
      const userId = decodeURIComponent(memberRoute[2] ?? '');
      const found = member(members, userId);
      lookups.push({ conversationId, userId, found: found !== undefined });
      if (found) return answer(200, found);
      return answer(404, {
        error: {
          code: 'MemberNotFoundInConversation',
          message: 'The member was not found in the conversation.',
        },
      });
    }
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
    memberLookups: () => lookups,
    updates: () => calls.filter((c): c is Extract<ConnectorCall, { kind: 'update' }> => c.kind === 'update'),
    clear: () => {
      calls.splice(0);
      lookups.splice(0);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import { readdir } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import type { TurnContext } from 'botbuilder';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCloudAdapter } from '../../bot/adapter.js';
import { bindHosts, isLoopbackUrl } from '../../bot/local-only.js';
import { NO_IDENTITY } from '../../bot/middleware/identity.js';
import { TEAMS_ONLY } from '../../bot/middleware/teams-only.js';
import { BUSY_TEXT, createBotServer, type BotServer } from '../../bot/server.js';
import { allowedTenantIds, ConfigError, loadConfig } from '../../core/config.js';
import { answerText } from '../bot/flow.js';
import { startHttpBot, type HttpBot } from '../bot/http-bot.js';
import { captureLogs } from '../bot/log-capture.js';
import { ADA, BEN, teamsExecute, teamsMessage } from '../bot/teams-activity.js';

/**
 * The edge as an attacker on the network and a careless client see it (issue 13): what is accepted
 * before authentication, where the server listens, whom it calls, who it thinks is acting.
 */
const AUTH_ENV = {
  NODE_ENV: 'test',
  MicrosoftAppId: '5f2b7c1d-0000-4000-8000-00000000a11d',
  MicrosoftAppPassword: 'app-password-for-tests',
  MicrosoftAppTenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
};

const servers: BotServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop(100);
});

async function serve(
  logic: (context: TurnContext) => Promise<void>,
  options: {
    env?: Record<string, string>;
    host?: string | readonly string[];
    overload?: { maxQueued: number; maxPerConversation: number };
  } = {},
) {
  const capture = captureLogs();
  const config = loadConfig({ NODE_ENV: 'test', ...options.env });
  const server = createBotServer({
    adapter: createCloudAdapter(config, capture.logger),
    logic,
    ping: async () => true,
    logger: capture.logger,
    port: 0,
    host: options.host ?? '127.0.0.1',
    ...(options.overload ? { overload: options.overload } : {}),
  });
  servers.push(server);
  const started = await server.start();
  return { ...started, server, logs: capture.lines };
}

/** Raw POST with node:http, so a 20 MB body can be streamed and an early answer still read. */
function rawPost(
  port: number,
  headers: Record<string, string>,
  body: { size: number; chunk: Buffer },
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/api/messages', method: 'POST', headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    // The server may close while we still write: that is the point, not a failure.
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE' && e.code !== 'ECONNRESET') reject(e);
    });
    let sent = 0;
    const write = () => {
      while (sent < body.size) {
        sent += body.chunk.length;
        if (!req.write(body.chunk)) return void req.once('drain', write);
      }
      req.end();
    };
    write();
  });
}

function multipart(sizeBytes: number) {
  const boundary = '----coupling-edge-test';
  const chunk = Buffer.alloc(1024 * 1024, 'A');
  return {
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': String(sizeBytes),
    },
    body: { size: sizeBytes, chunk },
  };
}

describe('/api/messages accepts application/json only, decided before the body is read', () => {
  it('a 20 MB multipart POST without a token is a 415, and no file appears in the temp folder', async () => {
    let turns = 0;
    const { port } = await serve(async () => void turns++, { env: AUTH_ENV });
    const before = new Set(await readdir(tmpdir()));
    const { headers, body } = multipart(20 * 1024 * 1024);
    const started = performance.now();
    const res = await rawPost(port, headers, body);
    expect(res.status).toBe(415);
    expect(res.text).toMatch(/application\/json/);
    expect(performance.now() - started).toBeLessThan(5_000);
    const after = (await readdir(tmpdir())).filter((f) => !before.has(f));
    // Other suites running at once create their own temp dirs; none is an upload (restify names them upload_*).
    expect(after.filter((f) => /^upload_|^[0-9a-f]{32}$/.test(f))).toEqual([]);
    expect(turns).toBe(0);
  });

  it.each([
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--'],
    ['application/x-www-form-urlencoded', 'type=message&text=help'],
    ['text/plain', '{"type":"message"}'],
    ['application/json; charset=latin1', '{"type":"message"}'],
    ['application/jsonp', '{"type":"message"}'],
  ])('%s is refused with 415 and runs no turn', async (contentType, text) => {
    let turns = 0;
    const { url } = await serve(async () => void turns++);
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body: text });
    expect(res.status).toBe(415);
    expect(turns).toBe(0);
  });

  it('a body without a content type is refused with 415', async () => {
    const { port } = await serve(async () => undefined);
    const res = await rawPost(port, {}, { size: 10, chunk: Buffer.from('{"a":1}   ') });
    expect(res.status).toBe(415);
  });

  it('JSON with a charset of utf-8 is served, and bodies over the cap are still a 413', async () => {
    let turns = 0;
    const { url } = await serve(async () => void turns++);
    const activity = teamsMessage('hi', { serviceUrl: 'http://127.0.0.1:9/' });
    const ok = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(activity),
    });
    expect(ok.status).toBe(200);
    const big = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...activity, text: 'x'.repeat(300 * 1024) }),
    });
    expect(big.status).toBe(413);
    expect(turns).toBe(1);
  });
});

/** A non-loopback IPv4 address of this machine, if it has one. */
const externalIPv4 = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

describe('authentication off is for local clients only', () => {
  it('listens on loopback only unless HOST is set, and says so loudly', async () => {
    const capture = captureLogs();
    const hosts = bindHosts(loadConfig({ NODE_ENV: 'test' }), capture.logger);
    expect(hosts).toEqual(['127.0.0.1', '::1']);
    expect(capture.lines().find((l) => l.level === 40)?.msg).toMatch(/AUTHENTICATION IS OFF.*loopback only/);
    expect(bindHosts(loadConfig({ NODE_ENV: 'test', HOST: '0.0.0.0' }), capture.logger)).toEqual(['0.0.0.0']);
    expect(capture.lines().at(-1)?.msg).toMatch(/AUTHENTICATION IS OFF and HOST=0\.0\.0\.0/);
    // With authentication on, every interface unless HOST says otherwise.
    expect(bindHosts(loadConfig(AUTH_ENV), capture.logger)).toBeUndefined();
  });

  it('the server bound that way answers on 127.0.0.1 and not on the machine’s other addresses', async () => {
    const capture = captureLogs();
    const { port } = await serve(async () => undefined, {
      host: bindHosts(loadConfig({ NODE_ENV: 'test' }), capture.logger),
    });
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const wildcard = await fetch(`http://0.0.0.0:${port}/healthz`).then(
      (r) => r.status,
      () => 'refused',
    );
    // 0.0.0.0 reaches the loopback interface on Linux: served there, so check the real external one too.
    expect([200, 'refused']).toContain(wildcard);
    if (externalIPv4) {
      await expect(fetch(`http://${externalIPv4}:${port}/healthz`)).rejects.toThrow();
    }
  });

  it('knows loopback serviceUrls from the rest', () => {
    for (const u of [
      'http://127.0.0.1:3978/',
      'http://localhost:56000/',
      'https://[::1]:8443/x',
      'http://127.1.2.3/',
    ])
      expect(isLoopbackUrl(u), u).toBe(true);
    for (const u of [
      'https://smba.trafficmanager.net/teams/',
      'http://0.0.0.0:80/',
      'http://127.0.0.1.evil.example/',
      'http://user:pw@127.0.0.1/',
      'file:///etc/passwd',
      'http://10.0.0.1/',
      'not a url',
    ])
      expect(isLoopbackUrl(u), u).toBe(false);
  });
});

describe('a forged serviceUrl is never contacted', () => {
  let counting: Server;
  let hits = 0;
  let countingPort = 0;
  beforeAll(async () => {
    counting = createServer((req, res) => {
      hits++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":"x"}');
    });
    await new Promise<void>((resolve) => counting.listen(0, '0.0.0.0', resolve));
    countingPort = (counting.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => counting.close(() => resolve())));

  it('with authentication off, an activity naming another host is refused and that host hears nothing', async () => {
    let turns = 0;
    const { url } = await serve(async (context) => {
      turns++;
      await context.sendActivity('hello');
    });
    const forged = [
      `http://0.0.0.0:${countingPort}/`,
      ...(externalIPv4 ? [`http://${externalIPv4}:${countingPort}/`] : []),
    ];
    for (const serviceUrl of forged) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(teamsMessage('help', { serviceUrl })),
      });
      expect(res.status, serviceUrl).toBe(401);
    }
    expect(turns).toBe(0);
    expect(hits).toBe(0);
    // The control: the same server with a loopback serviceUrl does reach it.
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(teamsMessage('help', { serviceUrl: `http://127.0.0.1:${countingPort}/` })),
    });
    expect(turns).toBe(1);
    expect(hits).toBe(1);
  });
});

describe('tenants with an app id', () => {
  it('an empty ALLOWED_TENANT_IDS means the bot’s own tenant, never all', () => {
    expect(allowedTenantIds(loadConfig(AUTH_ENV))).toEqual([AUTH_ENV.MicrosoftAppTenantId]);
    expect(allowedTenantIds(loadConfig({ ...AUTH_ENV, ALLOWED_TENANT_IDS: 'a,b' }))).toEqual(['a', 'b']);
    expect(allowedTenantIds(loadConfig({ NODE_ENV: 'test' }))).toEqual([]);
    const multi = loadConfig({ NODE_ENV: 'test', MicrosoftAppId: 'id', MicrosoftAppType: 'MultiTenant' });
    expect(() => allowedTenantIds(multi)).toThrow(ConfigError);
    expect(() => allowedTenantIds(multi)).toThrow(/ALLOWED_TENANT_IDS: required/);
  });
});

describe('who acts, over HTTP with the loopback Bot Connector', () => {
  let http: HttpBot;
  beforeAll(async () => {
    http = await startHttpBot();
  });
  afterAll(() => http.close());

  const say = async (activity: ReturnType<typeof teamsMessage>) => {
    http.connector.clear();
    expect((await http.post(activity)).status).toBe(200);
    return answerText(http.connector.messages());
  };

  it('another channel than Teams gets one short line, and nothing is done or remembered', async () => {
    const conversations = await http.db.db.collection('conversations').countDocuments();
    const activity = {
      ...teamsMessage('sync customers all', { serviceUrl: http.connector.serviceUrl, user: ADA }),
      channelId: 'webchat',
      conversation: { id: 'webchat-conversation-1' },
    } as ReturnType<typeof teamsMessage>;
    expect(await say(activity)).toBe(TEAMS_ONLY);
    expect(await http.db.db.collection('jobs').countDocuments()).toBe(0);
    expect(await http.db.db.collection('conversations').countDocuments()).toBe(conversations);
  });

  it('without an Entra object id nothing can be read', async () => {
    const activity = teamsMessage('show customer 10000', {
      serviceUrl: http.connector.serviceUrl,
      user: BEN,
    });
    delete (activity.from as { aadObjectId?: string }).aadObjectId;
    expect(await say(activity)).toBe(NO_IDENTITY);
  });

  it('a manager’s id in from.id without an Entra object id cannot change a mapping', async () => {
    const before = await http.db.db.collection('mappings').findOne({ name: 'CUSTOMER' });
    const activity = teamsMessage('mapping customers direction ToIntegrationTable', {
      serviceUrl: http.connector.serviceUrl,
      user: ADA,
    });
    activity.from = { id: ADA.aadObjectId, name: ADA.name };
    expect(await say(activity)).toBe(NO_IDENTITY);
    // The same with the id in from.id and a stranger's object id: still not the manager.
    const stranger = teamsMessage('mapping customers direction ToIntegrationTable', {
      serviceUrl: http.connector.serviceUrl,
      user: { id: ADA.aadObjectId, name: ADA.name, aadObjectId: 'f0000000-0000-4000-8000-00000000000f' },
    });
    expect(await say(stranger)).toMatch(/Only managers can change table mappings/);
    expect(await http.db.db.collection('mappings').findOne({ name: 'CUSTOMER' })).toEqual(before);
  });

  it('names come from the Teams roster, not from the name an activity claims, looked up once', async () => {
    const claimsToBeAda = { ...BEN, name: 'Ada Manager' };
    http.connector.clear();
    const first = teamsExecute(
      'couple.pick',
      {},
      { serviceUrl: http.connector.serviceUrl, user: claimsToBeAda },
    );
    void first;
    const text = await say(
      teamsMessage('couple customer 10000', { serviceUrl: http.connector.serviceUrl, user: claimsToBeAda }),
    );
    expect(text).toMatch(/Set Up Coupling|Customer 10000/);
    const lookups = http.connector.memberLookups();
    expect(lookups.map((l) => l.userId)).toEqual([BEN.aadObjectId]);
    // An audit trail (a sandbox edit is audited) carries the roster's name.
    await http.db.db.collection('audit').deleteMany({});
    await say(
      teamsMessage('sandbox edit customer 10000 phone="+1 425 555 0199"', {
        serviceUrl: http.connector.serviceUrl,
        user: claimsToBeAda,
      }),
    );
    const audit = await http.db.db.collection('audit').find({}).toArray();
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).toContain('Ben User');
    expect(JSON.stringify(audit)).not.toContain('Ada Manager');
    // Cached: the second and third turns asked the roster nothing.
    expect(http.connector.memberLookups()).toHaveLength(0);
  });
});

describe('overload', () => {
  it('past the per-conversation bound: 503 with Retry-After at once, and /healthz stays fast', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    let entered = 0;
    const { url, port } = await serve(
      async () => {
        entered++;
        await held;
      },
      { overload: { maxQueued: 100, maxPerConversation: 2 } },
    );
    const post = (body: unknown) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const o = { serviceUrl: 'http://127.0.0.1:9/', conversationId: 'a:busy' };
    const pending = [post(teamsMessage('one', o)), post(teamsMessage('two', o))];
    while (entered < 2) await new Promise((r) => setTimeout(r, 5));

    let started = performance.now();
    const refused = await post(teamsMessage('three', o));
    expect(performance.now() - started).toBeLessThan(200);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await refused.text()).toContain('busy');

    // A card click expects its answer in the response: one line there.
    started = performance.now();
    const click = await post(teamsExecute('x', {}, o));
    expect(performance.now() - started).toBeLessThan(200);
    expect(click.status).toBe(200);
    expect(await click.json()).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: BUSY_TEXT,
    });

    started = performance.now();
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(200);

    // Another conversation is not held back by this one's bound.
    const other = post(teamsMessage('elsewhere', { ...o, conversationId: 'a:other' }));
    while (entered < 3) await new Promise((r) => setTimeout(r, 5));
    release();
    expect((await Promise.all([...pending, other])).map((r) => r.status)).toEqual([200, 200, 200]);
  });
});

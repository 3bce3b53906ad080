import type { TurnContext } from 'botbuilder';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuthentication, createCloudAdapter } from '../../bot/adapter.js';
import { createBotServer, type BotServer } from '../../bot/server.js';
import { ConfigError, loadConfig } from '../../core/config.js';
import { startLoopbackConnector, type LoopbackConnector } from '../support/loopback-connector.js';
import { teamsMessage } from './teams-activity.js';
import { captureLogs } from './log-capture.js';

const servers: BotServer[] = [];
const connectors: LoopbackConnector[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop(100);
  for (const connector of connectors.splice(0)) await connector.close();
});

const configFor = (env: Record<string, string> = {}) => loadConfig({ NODE_ENV: 'test', ...env });

async function serve(
  logic: (context: TurnContext) => Promise<void>,
  options: { env?: Record<string, string>; ping?: () => Promise<boolean> } = {},
) {
  const capture = captureLogs();
  const adapter = createCloudAdapter(configFor(options.env), capture.logger);
  const server = createBotServer({
    adapter,
    logic,
    ping: options.ping ?? (async () => true),
    logger: capture.logger,
    port: 0,
    host: '127.0.0.1',
  });
  const { url, port } = await server.start();
  const connector = await startLoopbackConnector();
  servers.push(server);
  connectors.push(connector);
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  return { server, connector, post, port, logs: capture.lines };
}

const echo = async (context: TurnContext) => {
  await context.sendActivity(`echo: ${context.activity.text}`);
};

describe('HTTP server under many simultaneous turns', () => {
  it('runs turns that wait on I/O side by side: the overload gate does not queue them', async () => {
    let running = 0;
    let most = 0;
    const slowIo = async (context: TurnContext) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 300)); // a Business Central call, say
      running--;
      await context.sendActivity('done');
    };
    const { connector, post } = await serve(slowIo);
    const answers = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        post(teamsMessage(`turn ${i}`, { serviceUrl: connector.serviceUrl, conversationId: `a:io-${i}` })),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(24).fill(200));
    expect(most).toBe(24);
    expect(connector.messages()).toHaveLength(24);
  });
});

describe('HTTP server', () => {
  it('passes a Teams message to the bot and its reply reaches the connector at serviceUrl', async () => {
    const { connector, post } = await serve(echo);
    const activity = teamsMessage('hello', { serviceUrl: connector.serviceUrl });
    const res = await post(activity);
    expect(res.status).toBe(200);
    expect(connector.calls).toHaveLength(1);
    expect(connector.calls[0]).toMatchObject({
      kind: 'reply',
      conversationId: activity.conversation?.id,
      replyToId: activity.id,
      activity: { type: 'message', text: 'echo: hello' },
    });
  });

  it.each([
    ['answers 200 ok while the store responds', true, 200, 'ok'],
    ['answers 503 while the store does not', false, 503, 'store unavailable'],
  ])('/healthz %s', async (_name, reachable, status, text) => {
    const { port } = await serve(echo, { ping: async () => reachable });
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ status: text });
  });

  it('with MicrosoftAppId set, refuses an unsigned request with 401 and runs no turn', async () => {
    let turns = 0;
    const { connector, post } = await serve(
      async () => {
        turns++;
      },
      {
        env: {
          MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
          MicrosoftAppPassword: 'not-a-real-secret',
          MicrosoftAppTenantId: '00000000-0000-0000-0000-000000000002',
        },
      },
    );
    const res = await post(teamsMessage('help', { serviceUrl: connector.serviceUrl }));
    expect(res.status).toBe(401);
    expect(turns).toBe(0);
    expect(connector.calls).toHaveLength(0);
  });

  it('answers an unexpected error with an apology and the correlation id, logs it, and keeps serving', async () => {
    const { connector, post, logs } = await serve(async (context) => {
      if (context.activity.text === 'boom') throw new Error('kaboom at line 42');
      await echo(context);
    });
    const activity = teamsMessage('boom', { serviceUrl: connector.serviceUrl });
    expect((await post(activity)).status).toBe(200);
    const apology = connector.messages()[0]?.text ?? '';
    expect(apology).toMatch(/^Sorry — something went wrong/);
    expect(apology).toContain(activity.id);
    expect(apology).not.toMatch(/kaboom|at line|Error/);
    expect(logs().find((l) => l.msg === 'unhandled error in a turn')).toMatchObject({
      correlationId: activity.id,
    });
    expect((await post(teamsMessage('still here?', { serviceUrl: connector.serviceUrl }))).status).toBe(200);
    expect(connector.messages()[1]?.text).toBe('echo: still here?');
  });

  it('refuses a malformed activity with 400 without running a turn', async () => {
    let turns = 0;
    const { post } = await serve(async () => void turns++);
    const valid = teamsMessage('hi', { serviceUrl: 'http://127.0.0.1:9/' });
    for (const body of [
      { text: 'no type' },
      { ...valid, conversation: undefined },
      { ...valid, serviceUrl: 42 },
      [1],
    ]) {
      expect((await post(body)).status).toBe(400);
    }
    expect(turns).toBe(0);
  });

  it('stop() lets an in-flight turn finish, then closes', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const { server, connector, post, port } = await serve(async (context) => {
      await gate;
      await echo(context);
    });
    const pending = post(teamsMessage('slow', { serviceUrl: connector.serviceUrl }));
    while (server.inFlight === 0) await new Promise((r) => setTimeout(r, 5));
    let stopped = false;
    const stopping = server.stop(5_000).then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped).toBe(false);
    release();
    expect((await pending).status).toBe(200);
    await stopping;
    expect(connector.messages()[0]?.text).toBe('echo: slow');
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});

describe('authentication settings', () => {
  it('refuses to start in production without an app id, naming the settings to set', () => {
    const { logger } = captureLogs();
    const production = () => configFor({ NODE_ENV: 'production', MONGODB_URI: 'mongodb://db.example:27017' });
    expect(() => createAuthentication(production(), logger)).toThrow(ConfigError);
    expect(() => createAuthentication(production(), logger)).toThrow(/MicrosoftAppId: required/);
  });

  it('without an app id outside production, turns authentication off and says so loudly', () => {
    const capture = captureLogs();
    createAuthentication(configFor(), capture.logger);
    expect(capture.lines().find((l) => l.level === 40)?.msg).toMatch(/AUTHENTICATION IS OFF/);
  });

  it('names the missing setting for a single-tenant app without a tenant id', () => {
    const { logger } = captureLogs();
    const config = configFor({ MicrosoftAppId: 'id', MicrosoftAppPassword: 'pw' });
    expect(() => createAuthentication(config, logger)).toThrow(/MicrosoftAppTenantId is required/);
  });
});

import type { TurnContext } from 'botbuilder';
import { afterEach, describe, expect, it } from 'vitest';
import { createCloudAdapter, type EdgeAdapter } from '../../bot/adapter.js';
import { createBotServer, type BotServer } from '../../bot/server.js';
import { loadConfig } from '../../core/config.js';
import { startLoopbackConnector, type LoopbackConnector } from '../support/loopback-connector.js';
import { captureLogs } from './log-capture.js';
import { teamsMessage } from './teams-activity.js';

const servers: BotServer[] = [];
const connectors: LoopbackConnector[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop(100);
  for (const connector of connectors.splice(0)) await connector.close();
});

/** A bot that replies and records the Bot Connector client and user-token client each turn was given. */
async function serve(env: Record<string, string> = {}) {
  const capture = captureLogs();
  const adapter: EdgeAdapter = createCloudAdapter(loadConfig({ NODE_ENV: 'test', ...env }), capture.logger);
  const seen: Array<{ connector: unknown; tokens: unknown }> = [];
  const logic = async (context: TurnContext) => {
    seen.push({
      connector: context.turnState.get(adapter.ConnectorClientKey),
      tokens: context.turnState.get(adapter.UserTokenClientKey),
    });
    await context.sendActivity(`echo: ${context.activity.text}`);
  };
  const server = createBotServer({ adapter, logic, ping: async () => true, logger: capture.logger, port: 0 });
  servers.push(server);
  const { url } = await server.start();
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(url.replace('localhost', '127.0.0.1'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  return { adapter, seen, post };
}

async function connector() {
  const started = await startLoopbackConnector();
  connectors.push(started);
  return started;
}

describe('Bot Connector clients', () => {
  it('are built once per serviceUrl and reused by later turns, whose replies still arrive', async () => {
    const { seen, post } = await serve();
    const teams = await connector();
    for (const text of ['one', 'two', 'three']) {
      expect((await post(teamsMessage(text, { serviceUrl: teams.serviceUrl }))).status).toBe(200);
    }
    expect(teams.messages().map((m) => m.text)).toEqual(['echo: one', 'echo: two', 'echo: three']);
    expect(seen).toHaveLength(3);
    expect(seen[0]?.connector).toBeDefined();
    expect(seen[1]?.connector).toBe(seen[0]?.connector);
    expect(seen[2]?.connector).toBe(seen[0]?.connector);
    expect(seen[2]?.tokens).toBe(seen[0]?.tokens);
  });

  it('are separate for separate serviceUrls, each reply going to its own', async () => {
    const { seen, post } = await serve();
    const [emea, amer] = [await connector(), await connector()];
    await post(teamsMessage('to emea', { serviceUrl: emea.serviceUrl }));
    await post(teamsMessage('to amer', { serviceUrl: amer.serviceUrl }));
    await post(teamsMessage('emea again', { serviceUrl: emea.serviceUrl }));
    expect(emea.messages().map((m) => m.text)).toEqual(['echo: to emea', 'echo: emea again']);
    expect(amer.messages().map((m) => m.text)).toEqual(['echo: to amer']);
    expect(seen[1]?.connector).not.toBe(seen[0]?.connector);
    expect(seen[2]?.connector).toBe(seen[0]?.connector);
  });

  it('never let a request through unauthenticated once an app id is set, even after others were answered', async () => {
    const { seen, post } = await serve({
      MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
      MicrosoftAppPassword: 'secret',
      MicrosoftAppType: 'MultiTenant',
    });
    const teams = await connector();
    const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer not-a-token' }, {}];
    for (const headers of attempts) {
      const res = await post(teamsMessage('hello', { serviceUrl: teams.serviceUrl }), headers);
      expect(res.status).toBe(401);
    }
    expect(seen).toHaveLength(0);
    expect(teams.calls).toHaveLength(0);
  });
});

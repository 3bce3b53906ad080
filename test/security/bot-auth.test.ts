import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloudAdapter, EdgeAdapter, installTurnErrorHandler } from '../../bot/adapter.js';
import { refuseUnverifiedRequests } from '../../bot/auth-guard.js';
import { createBotServer, type BotServer } from '../../bot/server.js';
import { loadConfig } from '../../core/config.js';
import { captureLogs } from '../bot/log-capture.js';
import { teamsMessage } from '../bot/teams-activity.js';
import {
  BOT_FRAMEWORK_ISSUER,
  channelClaims,
  hs256WithPublicKey,
  newSigningKey,
  signRs256,
  startOpenIdServer,
  unsigned,
  type OpenIdServer,
} from './support/bot-jwt.js';

const APP_ID = '5f2b7c1d-0000-4000-8000-00000000a11d';
const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';
const AUTH_ENV = {
  NODE_ENV: 'test',
  MicrosoftAppId: APP_ID,
  MicrosoftAppPassword: 'app-password-for-tests',
  MicrosoftAppTenantId: TENANT_ID,
};

/** The key our loopback OpenID endpoint publishes, and an attacker's key claiming the same kid. */
const published = newSigningKey('bf-key-1');
const attacker = newSigningKey('bf-key-1');
const claims = (overrides: Record<string, unknown> = {}) => channelClaims(APP_ID, SERVICE_URL, overrides);

interface Served {
  post(token: string | undefined): Promise<{ status: number; body: string }>;
  turns: () => number;
  logs: ReturnType<typeof captureLogs>['lines'];
  server: BotServer;
  url: string;
}

async function serve(adapter: (logger: ReturnType<typeof captureLogs>['logger']) => EdgeAdapter) {
  const capture = captureLogs('debug');
  let turns = 0;
  const server = createBotServer({
    adapter: adapter(capture.logger),
    logic: async (_context: TurnContext) => void turns++,
    ping: async () => true,
    logger: capture.logger,
    port: 0,
    host: '127.0.0.1',
  });
  const { url } = await server.start();
  const served: Served = {
    server,
    url,
    turns: () => turns,
    logs: capture.lines,
    async post(token) {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify(teamsMessage('uncouple all customers', { serviceUrl: SERVICE_URL })),
      });
      return { status: res.status, body: await res.text() };
    },
  };
  return served;
}

/** Every way of not having a valid token; each must be a 401 and never reach the bot. */
const attacks: Array<[string, () => string | undefined]> = [
  ['no token at all', () => undefined],
  ['an empty bearer token', () => ''],
  ['an unsigned token (alg none) with the right claims', () => unsigned(claims(), published.kid)],
  ['an unsigned token without a key id', () => unsigned(claims())],
  ['a forged token: right claims and key id, signed with another key', () => signRs256(attacker, claims())],
  ['HS256 with the published public key as secret', () => hs256WithPublicKey(published, claims())],
  ['a token that is not a JWT', () => 'not.a.jwt'],
];

describe('with MicrosoftAppId set, the production adapter (no route to login.botframework.com here)', () => {
  let served: Served;
  beforeAll(async () => {
    served = await serve((logger) => createCloudAdapter(loadConfig(AUTH_ENV), logger));
  });
  afterAll(() => served.server.stop(100));

  it.each(attacks)(
    'refuses %s with 401, runs no turn, and tells the caller nothing more',
    async (_n, token) => {
      const before = served.turns();
      const res = await served.post(token());
      expect(res.status).toBe(401);
      expect(res.body).not.toMatch(/signature|getaddrinfo|jwt|fetch|botframework\.com/i);
      expect(served.turns()).toBe(before);
    },
  );

  it('logs why, without the token', async () => {
    const token = signRs256(attacker, claims());
    await served.post(token);
    const text = JSON.stringify(served.logs());
    expect(text).toMatch(/request refused/);
    expect(text).not.toContain(token.split('.')[2]);
    expect(text).not.toContain(token.split('.')[1]);
  });
});

describe('the same validation against a loopback OpenID endpoint that publishes our key', () => {
  let openId: OpenIdServer;
  let served: Served;
  beforeAll(async () => {
    openId = await startOpenIdServer([published]);
    served = await serve((logger) => {
      const auth = new ConfigurationBotFrameworkAuthentication({
        ...AUTH_ENV,
        MicrosoftAppType: 'SingleTenant',
        // Overriding one endpoint means giving the public cloud's others explicitly.
        ToBotFromChannelOpenIdMetadataUrl: openId.metadataUrl,
        ToBotFromEmulatorOpenIdMetadataUrl: openId.metadataUrl,
        ToBotFromChannelTokenIssuer: BOT_FRAMEWORK_ISSUER,
        ToChannelFromBotLoginUrl: `https://login.microsoftonline.com/${TENANT_ID}`,
        ToChannelFromBotOAuthScope: 'https://api.botframework.com',
        OAuthUrl: 'https://api.botframework.com',
        CallerId: 'urn:botframework:azure',
        ValidateAuthority: true,
      });
      const adapter = new EdgeAdapter(refuseUnverifiedRequests(auth, logger));
      installTurnErrorHandler(adapter, logger);
      return adapter;
    });
  });
  afterAll(async () => {
    await served.server.stop(100);
    await openId.close();
  });

  it('accepts a token signed with the published key and the right claims (the control)', async () => {
    const before = served.turns();
    expect((await served.post(signRs256(published, claims()))).status).toBe(200);
    expect(served.turns()).toBe(before + 1);
  });

  it('a valid token for Teams’ serviceUrl cannot send the bot to another host: 401, that host hears nothing', async () => {
    let hits = 0;
    const counting = createServer((_req, res) => {
      hits++;
      res.end('{}');
    });
    await new Promise<void>((resolve) => counting.listen(0, '127.0.0.1', resolve));
    const elsewhere = `http://127.0.0.1:${(counting.address() as AddressInfo).port}/`;
    try {
      const before = served.turns();
      const res = await fetch(served.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${signRs256(published, claims())}`,
        },
        body: JSON.stringify(teamsMessage('help', { serviceUrl: elsewhere })),
      });
      expect(res.status).toBe(401);
      expect(served.turns()).toBe(before);
      expect(hits).toBe(0);
    } finally {
      await new Promise<void>((resolve) => counting.close(() => resolve()));
    }
  });

  it.each([
    ...attacks,
    ['a token for another bot (audience)', () => signRs256(published, claims({ aud: 'another-app-id' }))],
    ['an expired token', () => signRs256(published, claims({ exp: Math.floor(Date.now() / 1000) - 3600 }))],
    ['a token from another issuer', () => signRs256(published, claims({ iss: 'https://evil.example.com' }))],
    [
      'a token minted for another serviceUrl',
      () => signRs256(published, claims({ serviceurl: 'https://evil.example.com/' })),
    ],
    ['a signed key id that is not published', () => signRs256(newSigningKey('unknown-kid'), claims())],
  ] as Array<[string, () => string | undefined]>)(
    'refuses %s with 401 and runs no turn',
    async (_n, token) => {
      const before = served.turns();
      expect((await served.post(token())).status).toBe(401);
      expect(served.turns()).toBe(before);
    },
  );
});

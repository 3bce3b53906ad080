import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
} from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EdgeAdapter, installTurnErrorHandler } from '../../bot/adapter.js';
import { refuseUnverifiedRequests } from '../../bot/auth-guard.js';
import { bootBot } from '../kit/bot.js';
import { createBotServer, type BotServer } from '../../bot/server.js';
import { openStore } from '../../bot/composition/open-store.js';
import { startEmbeddedMongo } from '../../embedded-mongo/index.js';
import { captureLogs } from '../bot/log-capture.js';
import { ADA, teamsMessage } from '../bot/teams-activity.js';
import {
  FAST_RETRY,
  SECRET as AZURE_CLIENT_SECRET,
  startHarness,
  type Harness,
} from '../kit/loopback/harness.js';
import { startGatedConnector, type GatedConnector } from '../faults/support/gated-connector.js';
import { httpEnv } from '../integration/http/http-bot.js';
import { seedFakes } from '../integration/http/seed-fakes.js';
import { startLoopbackConnector, type LoopbackConnector } from '../support/loopback-connector.js';
import type { TestDb } from '../support/test-mongo.js';
import {
  channelClaims,
  newSigningKey,
  signRs256,
  startOpenIdServer,
  type OpenIdServer,
} from './support/bot-jwt.js';
import { leaks, secret } from './support/secrets.js';

/**
 * Every secret in play at once, and the log (at trace level, the most it ever writes) scanned for them:
 * MicrosoftAppPassword (card seal and app credentials), AZURE_CLIENT_SECRET (the HTTP connectors' token
 * requests to the loopback authority), a MONGODB_URI with a password, bearer tokens on every request to
 * the bot and on every reply it sends, and failures on each of those paths.
 */
const APP_ID = '5f2b7c1d-0000-4000-8000-00000000a11d';
const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const APP_PASSWORD = secret('app-password');
const MONGO_PASSWORD = secret('mongo-p@ss:word');
const OUTBOUND_TOKEN = secret('outbound-token');
const published = newSigningKey('bf-key-1');

/** Replies carry a bearer token of ours, as they would carry one from Entra ID. */
class FixedTokenCredentials extends ConfigurationServiceClientCredentialFactory {
  constructor() {
    super({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: APP_PASSWORD, MicrosoftAppType: 'MultiTenant' });
  }
  override async createCredentials(): Promise<never> {
    const signRequest = async (req: { headers: { set(k: string, v: string): void } }) => {
      req.headers.set('authorization', `Bearer ${OUTBOUND_TOKEN}`);
      return req;
    };
    return { signRequest } as never;
  }
}

let fakes: Harness;
let db: TestDb;
let openId: OpenIdServer;
let connector: LoopbackConnector;
let gate: GatedConnector;
let server: BotServer;
let url = '';
const capture = captureLogs('trace');
const inboundTokens: string[] = [];
const printed: string[] = [];

beforeAll(async () => {
  fakes = await startHarness();
  seedFakes(fakes.bc, fakes.dv);
  openId = await startOpenIdServer([published]);
  connector = await startLoopbackConnector();
  gate = await startGatedConnector(connector);
  const booted = await bootBot({
    capture,
    logLevel: 'trace',
    env: {
      SYNC_INTERVAL_MINUTES: '0',
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: APP_PASSWORD,
      MicrosoftAppTenantId: TENANT_ID,
      ...httpEnv(fakes),
    },
    compose: { fetch: fakes.fetch, httpRetry: FAST_RETRY },
  });
  db = booted.db;
  const { bot } = booted;
  const auth = new ConfigurationBotFrameworkAuthentication(
    {
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: APP_PASSWORD,
      MicrosoftAppTenantId: TENANT_ID,
      MicrosoftAppType: 'SingleTenant',
      ToBotFromChannelOpenIdMetadataUrl: openId.metadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: openId.metadataUrl,
      ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
      ToChannelFromBotLoginUrl: `https://login.microsoftonline.com/${TENANT_ID}`,
      ToChannelFromBotOAuthScope: 'https://api.botframework.com',
      OAuthUrl: 'https://api.botframework.com',
      CallerId: 'urn:botframework:azure',
      ValidateAuthority: true,
    },
    new FixedTokenCredentials(),
  );
  const adapter = new EdgeAdapter(refuseUnverifiedRequests(auth, capture.logger));
  installTurnErrorHandler(adapter, capture.logger);
  for (const m of bot.middleware) adapter.use(m);
  server = createBotServer({
    adapter,
    logic: bot.logic,
    ping: async () => true,
    logger: capture.logger,
    port: 0,
    host: '127.0.0.1',
  });
  url = (await server.start()).url;
}, 60_000);

afterAll(async () => {
  await server?.stop(1_000);
  await gate?.close();
  await connector?.close();
  await openId?.close();
  await fakes?.close();
  await db?.cleanup();
});

async function say(text: string, authorization: string | undefined) {
  const activity = teamsMessage(text, { serviceUrl: gate.serviceUrl, user: ADA });
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify(activity),
  });
  await res.arrayBuffer();
  return res.status;
}

function validToken(): string {
  const token = signRs256(published, channelClaims(APP_ID, gate.serviceUrl));
  inboundTokens.push(token);
  return `Bearer ${token}`;
}

describe('logs never contain a secret or a token', () => {
  it('through a whole conversation, its refusals and its failures', async () => {
    for (const text of [
      'help',
      'check connection',
      'show customer 10000',
      'couple customer 10000',
      'mappings',
    ])
      expect(await say(text, validToken())).toBe(200);
    // A reply Teams refuses: the error, with the failed request, goes to the log.
    gate.refuseNext(1, 403, { error: { code: 'BotNotInConversationRoster', message: 'Not in roster.' } });
    expect(await say('show customer 20000', validToken())).toBe(200);
    // Refused requests: a forged token, a token for another bot, garbage, none.
    const forged = signRs256(newSigningKey('bf-key-1'), channelClaims(APP_ID, gate.serviceUrl));
    const otherBot = signRs256(published, channelClaims('another-app', gate.serviceUrl));
    inboundTokens.push(forged, otherBot);
    for (const authorization of [
      `Bearer ${forged}`,
      `Bearer ${otherBot}`,
      'Bearer not-a-jwt-at-all',
      undefined,
    ])
      expect(await say('help', authorization)).toBe(401);
    // A MongoDB connection string with a password that the server refuses.
    const dir = await mkdtemp(path.join(tmpdir(), 'hygiene-mongo-'));
    const mongo = await startEmbeddedMongo({ dbPath: dir, port: 0 });
    const uri = `mongodb://coupling:${encodeURIComponent(MONGO_PASSWORD)}@127.0.0.1:${mongo.port}/?directConnection=true`;
    try {
      await openStore({
        config: { MONGODB_URI: uri, MONGODB_DB: 'hygiene', DATA_DIR: dir },
        logger: capture.logger,
        serverSelectionTimeoutMS: 1_000,
      }).then(
        () => expect.fail('the embedded server has no users; authentication must fail'),
        (err: unknown) => {
          capture.logger.error({ err }, 'store refused'); // as a caller would log it
          printed.push((err as Error).message); // and as npm start prints it
        },
      );
    } finally {
      await mongo.stop();
      await rm(dir, { recursive: true, force: true });
    }

    // The conversation really happened, with every secret in use.
    expect(connector.messages().length).toBeGreaterThanOrEqual(6);
    expect(gate.authorizations.every((a) => a === `Bearer ${OUTBOUND_TOKEN}`)).toBe(true);
    expect(fakes.authority.tokensIssued()).toBeGreaterThan(0);
    const lines = capture.lines();
    expect(lines.some((l) => l.msg === 'unhandled error in a turn')).toBe(true);
    expect(lines.some((l) => String(l.msg).startsWith('request refused'))).toBe(true);

    const text = [...lines.map((l) => JSON.stringify(l)), ...printed].join('\n');
    const secrets: Record<string, string> = {
      MicrosoftAppPassword: APP_PASSWORD,
      AZURE_CLIENT_SECRET,
      'MongoDB password': MONGO_PASSWORD,
      'outbound bearer token': OUTBOUND_TOKEN,
      ...Object.fromEntries(inboundTokens.map((t, i) => [`inbound token ${i}`, t])),
      ...Object.fromEntries(inboundTokens.map((t, i) => [`inbound signature ${i}`, t.split('.')[2] ?? t])),
    };
    expect(leaks(text, secrets)).toEqual([]);
  });
});

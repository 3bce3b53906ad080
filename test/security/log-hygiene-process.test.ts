import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerText } from '../bot/flow.js';
import { ADA, teamsMessage } from '../bot/teams-activity.js';
import { SECRET as AZURE_CLIENT_SECRET, startHarness, type Harness } from '../kit/loopback/harness.js';
import { startRealBot } from '../faults/support/real-bot.js';
import { httpEnv } from '../integration/http/http-bot.js';
import { seedFakes } from '../integration/http/seed-fakes.js';
import { startProcess } from '../support/child-process.js';
import { startLoopbackConnector, type LoopbackConnector } from '../support/loopback-connector.js';
import { startEmbeddedMongo } from '../../embedded-mongo/index.js';
import { channelClaims, newSigningKey, signRs256 } from './support/bot-jwt.js';
import { leaks, secret } from './support/secrets.js';

/**
 * The same scan on `npm start` itself (bot/main.ts as a child process): everything it prints, stdout and
 * stderr — pino's lines, the one-line start-up errors, and whatever the SDK writes to the console.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const APP_ID = '5f2b7c1d-0000-4000-8000-00000000a11d';
const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const APP_PASSWORD = secret('app-password');
const MONGO_PASSWORD = secret('mongo-p@ss:word');

let fakes: Harness;
let connector: LoopbackConnector;
const tokens: string[] = [];
beforeAll(async () => {
  fakes = await startHarness();
  seedFakes(fakes.bc, fakes.dv);
  connector = await startLoopbackConnector();
});
afterAll(async () => {
  await connector?.close();
  await fakes?.close();
});

const bearer = () => {
  const token = signRs256(newSigningKey('bf-key-1'), channelClaims(APP_ID, connector.serviceUrl));
  tokens.push(token);
  return { authorization: `Bearer ${token}` };
};
const secrets = () => ({
  MicrosoftAppPassword: APP_PASSWORD,
  AZURE_CLIENT_SECRET,
  'MongoDB password': MONGO_PASSWORD,
  ...Object.fromEntries(tokens.map((t, i) => [`token ${i}`, t])),
});

/** Each answer proves the turn reached BC and Dataverse through the HTTP connectors. */
const CONVERSATION: Array<[string, RegExp]> = [
  ['help', /^Coupling Assistant/],
  ['check connection', /Business Central[\s\S]*Dataverse/],
  ['show customer 10000', /^Customer 10000\nAdatum Corporation/],
  ['couple customer 10000', /^Set Up Coupling/],
];

let cardSealKey = '';

/** The key the bot generated and keeps in its (embedded) database, read through the port it logged. */
async function storedCardSealKey(output: string): Promise<string> {
  const line = output.split('\n').find((l) => l.includes('"embedded-mongo listening"'));
  const port = (JSON.parse(line ?? '{}') as { port?: number }).port;
  const client = await new MongoClient(`mongodb://127.0.0.1:${port}/?directConnection=true`).connect();
  try {
    const doc = await client
      .db('coupling_assistant')
      .collection<{ _id: string; value: string }>('secrets')
      .findOne({ _id: 'card-seal' });
    return doc?.value ?? '';
  } finally {
    await client.close();
  }
}

describe('what `npm start` prints never contains a secret or a token', () => {
  it('with the real connectors, a card seal key and bearer tokens on every request', async () => {
    const real = await startRealBot({
      connector,
      env: {
        LOG_LEVEL: 'trace',
        MicrosoftAppPassword: APP_PASSWORD,
        NODE_EXTRA_CA_CERTS: fakes.authority.tls.caFile,
        SYNC_INTERVAL_MINUTES: '0',
        ...httpEnv(fakes),
      },
    });
    try {
      for (const [text, answer] of CONVERSATION) {
        connector.clear();
        const activity = teamsMessage(text, { serviceUrl: connector.serviceUrl, user: ADA });
        expect(await real.post(activity, bearer())).toBe(200);
        expect(answerText(connector.messages())).toMatch(answer);
      }
      expect(fakes.authority.tokensIssued()).toBeGreaterThan(0); // AZURE_CLIENT_SECRET was used
      cardSealKey = await storedCardSealKey(real.output());
    } finally {
      await real.stop();
    }
    expect(real.output()).toMatch(/Coupling Assistant listening/);
    expect(cardSealKey.length).toBeGreaterThan(20);
    expect(leaks(real.output(), { ...secrets(), 'card-seal key': cardSealKey })).toEqual([]);
  });

  it('with authentication on, refusing forged bearer tokens', async () => {
    const real = await startRealBot({
      connector,
      env: {
        LOG_LEVEL: 'trace',
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: APP_PASSWORD,
        MicrosoftAppTenantId: TENANT_ID,
      },
    });
    try {
      for (let i = 0; i < 3; i++) {
        const activity = teamsMessage('help', { serviceUrl: connector.serviceUrl, user: ADA });
        expect(await real.post(activity, bearer())).toBe(401);
      }
    } finally {
      await real.stop();
    }
    // One line for the three refusals (rate-limited), and no stack printed by the SDK per request.
    const refusals = real
      .output()
      .split('\n')
      .filter((line) => line.includes('request refused'));
    expect(new Set(refusals).size).toBe(1);
    expect(real.output()).not.toMatch(/AuthenticationError|^\s+at /m);
    expect(leaks(real.output(), secrets())).toEqual([]);
  });

  it('when MongoDB refuses the password in MONGODB_URI at start-up', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'hygiene-process-'));
    const mongo = await startEmbeddedMongo({ dbPath: path.join(dir, 'mongo'), port: 0 });
    const uri = `mongodb://coupling:${encodeURIComponent(MONGO_PASSWORD)}@127.0.0.1:${mongo.port}/?directConnection=true`;
    const env = {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'development',
      DATA_DIR: dir,
      PORT: '0',
      MONGODB_URI: uri,
    };
    const proc = startProcess('the bot', ['--import', 'tsx', path.join(root, 'bot', 'main.ts')], root, env);
    const printed: string[] = [];
    proc.child.stdout?.on('data', (c: Buffer) => printed.push(c.toString('utf8')));
    proc.child.stderr?.on('data', (c: Buffer) => printed.push(c.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => proc.child.once('exit', resolve));
    await proc.stop();
    await mongo.stop();
    await rm(dir, { recursive: true, force: true });
    const output = `${proc.output()}\n${printed.join('')}`;
    expect(code).toBe(1);
    expect(output).toMatch(/Cannot reach MongoDB at mongodb:\/\/coupling:\*\*\*\*@127\.0\.0\.1/);
    expect(leaks(output, secrets())).toEqual([]);
  });
});

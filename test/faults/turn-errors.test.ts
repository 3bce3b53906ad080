import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../embedded-mongo/index.js';
import { answerText } from '../bot/flow.js';
import { ADA, teamsMessage } from '../bot/teams-activity.js';
import { freePort } from '../support/child-process.js';
import { startLoopbackConnector, type LoopbackConnector } from '../support/loopback-connector.js';
import { startGatedConnector, type GatedConnector } from './support/gated-connector.js';
import { startRealBot, type RealBot } from './support/real-bot.js';

/**
 * Failures inside a turn, under the real server (`bot/main.ts`): a corrupt stored document breaks a
 * command, Teams refuses a reply. Each is answered with a short apology and a reference, logged with the
 * stack, and the process keeps serving. Last, SIGTERM while a turn is still running: it finishes, its
 * reply is delivered, then the process exits 0.
 */
let dataDir: string;
let mongo: EmbeddedMongo;
let client: MongoClient;
let connector: LoopbackConnector;
let gate: GatedConnector;
let real: RealBot;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'turn-errors-mongo-'));
  mongo = await startEmbeddedMongo({ dbPath: dataDir, port: await freePort() });
  client = await new MongoClient(mongo.uri).connect();
  connector = await startLoopbackConnector();
  gate = await startGatedConnector(connector);
  real = await startRealBot({ connector, serviceUrl: gate.serviceUrl, env: { MONGODB_URI: mongo.uri } });
});

afterAll(async () => {
  await real?.stop();
  await gate?.close();
  await connector?.close();
  await client?.close();
  await mongo?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** Sends `text`, returns the activity (its id is the correlation id) and what the user read. */
async function ask(text: string) {
  connector.clear();
  const activity = teamsMessage(text, { serviceUrl: real.serviceUrl });
  const status = await real.post(activity);
  return { activity, status, answer: answerText(connector.messages()) };
}

const logLine = (msg: string, correlationId: string | undefined) =>
  real.logs().find((l) => l.msg === msg && l.correlationId === correlationId);

describe('an unexpected error inside a turn', () => {
  it('(a corrupt stored document) gets a short apology with a reference; the stack goes to the log only', async () => {
    expect(await real.say('sandbox reset', ADA)).toMatch(/Sandbox reset/i);
    expect(await real.say('couple customer 10000 to account "Adatum Corporation"')).toMatch(/^Coupled/);
    const couplings = client.db('coupling_assistant').collection('couplings');
    const original = await couplings.findOne({ bcNumber: '10000' });
    await couplings.updateOne({ bcNumber: '10000' }, { $set: { dvId: 12345 } });

    const { activity, status, answer } = await ask('show customer 10000');
    expect(status).toBe(200);
    expect(answer).toMatch(/^Something went wrong\nSorry — something went wrong on my side/);
    expect(answer).toContain(`Reference ${activity.id}`);
    expect(answer).not.toMatch(/Corrupt|couplings|dvId|\bat\b.*\.ts|Error/);
    const line = logLine('unexpected error while handling a request', activity.id);
    const err = line?.err as { type?: string; stack?: string } | undefined;
    expect(err?.type).toBe('CorruptDocumentError');
    expect(err?.stack).toMatch(/\n\s+at /);

    await couplings.replaceOne({ _id: original?._id }, original ?? {});
    expect((await ask('show customer 10000')).answer).toMatch(/^Customer 10000\nAdatum Corporation/);
    expect(real.alive()).toBe(true);
  });

  it('(Teams refuses the reply with 403) is logged with detail, answered with the reference, and the process keeps serving', async () => {
    gate.refuseNext(1, 403, {
      error: {
        code: 'BotNotInConversationRoster',
        message: 'The bot is not part of the conversation roster.',
      },
    });
    const { activity, status, answer } = await ask('help');
    expect(status).toBe(200);
    expect(answer).toMatch(/^Sorry — something went wrong on my side/);
    expect(answer).toContain(activity.id);
    expect(answer).not.toMatch(/403|Roster|Error/);
    const err = logLine('unhandled error in a turn', activity.id)?.err as { stack?: string } | undefined;
    expect(err?.stack).toMatch(/\n\s+at /);
    expect(JSON.stringify(err)).toMatch(/BotNotInConversationRoster|403/);

    expect((await ask('help')).answer).toMatch(/^Coupling Assistant/);
    expect(real.alive()).toBe(true);
  });
});

describe('SIGTERM', () => {
  it('drains a turn in flight: its reply is delivered before the process exits 0', async () => {
    const { child } = real.bot.process;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    connector.clear();
    const held = gate.holdNext();
    const activity = teamsMessage('show customer 10000', { serviceUrl: real.serviceUrl });
    const answered = real.post(activity);
    await held.arrived; // the turn is running: its reply is waiting at the connector

    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    expect(real.alive()).toBe(true);
    await expect(real.health()).rejects.toThrow(); // no new requests once stopping
    expect(connector.messages()).toHaveLength(0);

    held.release();
    expect(await answered).toBe(200);
    expect(await exited).toBe(0);
    expect(answerText(connector.messages())).toMatch(/^Customer 10000\nAdatum Corporation/);
    const messages = real.logs().map((l) => l.msg);
    expect(messages).toContain('waiting for in-flight turns to finish');
    expect(messages.at(-1)).toBe('stopped');
  });
});

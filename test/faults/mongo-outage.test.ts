import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_UNAVAILABLE_MESSAGE } from '../../core/store/store-errors.js';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../embedded-mongo/index.js';
import { button, cardOf, cardText } from '../support/bot-harness.js';
import { freePort } from '../support/child-process.js';
import { startLoopbackConnector, type LoopbackConnector } from '../support/loopback-connector.js';
import { ADA, teamsMessage } from '../bot/teams-activity.js';
import { eventually, startRealBot, type RealBot } from './support/real-bot.js';

/**
 * MongoDB goes away mid-conversation and comes back, under the real server (`bot/main.ts`): the user is
 * told plainly that nothing was changed, /healthz says 503, the process stays up, and service resumes
 * without a restart once the database is back, with everything written before the outage intact.
 */
let dataDir: string;
let port: number;
let mongo: EmbeddedMongo | undefined;
let connector: LoopbackConnector;
let real: RealBot;

const startMongo = async () => {
  mongo = await startEmbeddedMongo({ dbPath: dataDir, port });
};

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'outage-mongo-'));
  port = await freePort();
  await startMongo();
  connector = await startLoopbackConnector();
  real = await startRealBot({
    connector,
    env: {
      MONGODB_URI: `mongodb://127.0.0.1:${port}/?directConnection=true`,
      MONGODB_SERVER_SELECTION_TIMEOUT_MS: '1000',
    },
  });
});

afterAll(async () => {
  await real?.stop();
  await connector?.close();
  await mongo?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('MongoDB unreachable mid-conversation', () => {
  it('is answered "nothing was changed, try again", turns /healthz 503, and service resumes when it returns', async () => {
    // Before: a normal conversation that writes something.
    expect(await real.health()).toBe(200);
    expect(await real.say('sandbox reset', ADA)).toMatch(/Sandbox reset/i);
    expect(await real.say('couple customer 10000 to account "Adatum Corporation"')).toMatch(/^Coupled/);
    connector.clear();
    await real.post(teamsMessage('couple customer 20000', { serviceUrl: connector.serviceUrl }));
    const setUpCard = cardOf(connector.messages()[0]);
    const pick = button(setUpCard, 'Couple');

    // The database goes away.
    await mongo?.stop();
    mongo = undefined;

    const typed = await real.say(`couple customer 20000 to account ${String(pick.data.dvId)}`);
    expect(typed).toContain(STORE_UNAVAILABLE_MESSAGE);
    expect(typed).not.toMatch(/Sorry|Mongo|ECONNREFUSED|127\.0\.0\.1/);
    const clicked = await real.execute(pick.verb, { ...pick.data, syncAfterCoupling: 'No' });
    expect(JSON.stringify(clicked.value)).toContain(STORE_UNAVAILABLE_MESSAGE);
    expect(await real.say('show customer 10000')).toContain(STORE_UNAVAILABLE_MESSAGE);
    expect(await real.health()).toBe(503);
    expect(real.alive()).toBe(true);
    expect(real.logs().some((l) => l.msg === 'store unreachable; request refused')).toBe(true);

    // It comes back on the same port and data directory: no restart of the bot needed.
    await startMongo();
    await eventually('/healthz answers 200 again', 30_000, async () => (await real.health()) === 200);
    const shown = await real.say('show customer 10000');
    expect(shown).toMatch(/^Customer 10000\nAdatum Corporation/);
    expect(shown).toMatch(/Adatum Corporation/);
    expect(shown).toMatch(/Coupled/i);
    // Nothing was changed by the refused requests: Customer 20000 is still not coupled.
    expect(await real.say('show customer 20000')).toMatch(/Not coupled/i);
    // The very card clicked during the outage now works.
    const retried = await real.execute(pick.verb, { ...pick.data, syncAfterCoupling: 'No' });
    expect(cardText(retried.value)).toMatch(/^Coupled/);
    expect(real.alive()).toBe(true);
  });
});

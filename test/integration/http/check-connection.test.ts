import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotHarness, cardOf, cardText, type BotHarness } from '../../support/bot-harness.js';
import { ADA, BEN } from '../../bot/teams-activity.js';
import { SECRET } from '../../kit/loopback/harness.js';
import { startHttpBot, type HttpBot } from './http-bot.js';

let h: HttpBot;
beforeAll(async () => {
  h = await startHttpBot();
});
afterAll(() => h.close());

describe('check connection against the loopback authority, Business Central and Dataverse', () => {
  it('a manager sees a fresh token and one read for each system and the MongoDB ping, with latencies', async () => {
    const tokensBefore = h.fakes.authority.tokensIssued();
    const { text } = await h.ask('check connection', ADA);
    expect(text).toMatch(
      /^Connection check: Business Central, Dataverse and MongoDB working\nBy Ada Manager/,
    );
    expect(text).toMatch(/\nBusiness Central: working — token \d+ ms; read \d+ ms/);
    expect(text).toMatch(/\nDataverse: working — token \d+ ms; read \d+ ms/);
    expect(text).toMatch(/\nMongoDB: working — ping \d+ ms/);
    // A fresh token per system, not the cache: the secret is proven to work now.
    expect(h.fakes.authority.tokensIssued() - tokensBefore).toBe(2);
    const logs = JSON.stringify(h.logs());
    expect(logs).not.toContain(SECRET);
    expect(logs).not.toMatch(/Bearer|eyJ[\w-]{10,}/);
  });

  it('names the exact failure: a Dataverse application user without read access to account', async () => {
    h.fakes.dv.failNext(
      {
        kind: 'status',
        status: 403,
        body: {
          error: {
            code: '0x80040220',
            message:
              "Principal user (Id=3f2a…, type=8, roleCount=1) is missing prvReadAccount privilege (Id=886b280c-6396-4d56-a0a3-2c1b0a50ceb0) on OTC=1 for entity 'account'.",
          },
        },
      },
      (r) => r.path.endsWith('/accounts'),
    );
    const { text } = await h.ask('check connection', ADA);
    expect(text).toMatch(/^Connection check: Dataverse not working/);
    expect(text).toMatch(
      /Dataverse: NOT working — token \d+ ms; read failed after \d+ ms: Dataverse answered 403: the application user lacks Read on account in Dataverse: give it a security role with that privilege \(prvReadAccount\)\. Details: Principal user/,
    );
    expect(text).toMatch(/Business Central: working/);
  });

  it('a wrong client secret is reported as the authority words it, for both systems', async () => {
    const failing = await startHttpBot({ env: { AZURE_CLIENT_SECRET: 'not-the-secret' } });
    try {
      const { text } = await failing.ask('check connection', ADA);
      expect(text).toMatch(/^Connection check: Business Central and Dataverse not working/);
      expect(text).toMatch(/Business Central: NOT working — token failed after \d+ ms: .*AADSTS7000215/);
      expect(text).toMatch(/read failed after 0 ms: not tried without a token/);
      expect(text).not.toContain('not-the-secret');
      expect(JSON.stringify(failing.logs())).not.toContain('not-the-secret');
    } finally {
      await failing.close();
    }
  });

  it('is for managers only: core refuses anyone else and nothing is requested', async () => {
    h.fakes.bc.resetStats();
    h.fakes.dv.resetStats();
    const { text } = await h.ask('check connection', BEN);
    expect(text).toMatch(/Only managers can check the connection/);
    expect(h.fakes.bc.requests).toHaveLength(0);
    expect(h.fakes.dv.requests).toHaveLength(0);
  });

  it('sandbox commands are refused: this bot is connected to the real systems', async () => {
    const { text } = await h.ask('sandbox reset', ADA);
    expect(text).toMatch(/Sandbox commands only work with the sandbox connectors/);
  });
});

describe('check connection on the sandbox', () => {
  let sandbox: BotHarness;
  beforeAll(async () => {
    sandbox = await startBotHarness({ env: {} });
  });
  afterAll(() => sandbox.close());

  it('says the bot runs on the sandbox connectors and pings MongoDB', async () => {
    const text = cardText(cardOf((await sandbox.say('check connection', ADA))[0]));
    expect(text).toMatch(/^Connection check: sandbox connectors, MongoDB working/);
    expect(text).toMatch(/runs on the sandbox connectors/);
    expect(text).toMatch(/\nMongoDB: working — ping \d+ ms$/);
  });
});

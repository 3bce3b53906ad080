import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpBot, type HttpBot } from '../bot/http-bot.js';
import { answerText } from '../bot/flow.js';
import { ADA, BEN, teamsExecute, teamsMessage, type TeamsUser } from '../bot/teams-activity.js';
import { snapshotAll } from './support/snapshot.js';

/** RATE_LIMIT_PER_MINUTE through the real server: per person, a friendly answer, no work done. */
const LIMIT = 3;
const FRIENDLY =
  /You're going a bit fast — I can take 3 requests a minute from one person[\s\S]*nothing was changed/;

let http: HttpBot;
beforeAll(async () => {
  http = await startHttpBot({ env: { RATE_LIMIT_PER_MINUTE: String(LIMIT) } });
});
afterAll(() => http.close());

async function say(text: string, user: TeamsUser) {
  http.connector.clear();
  const res = await http.post(teamsMessage(text, { serviceUrl: http.connector.serviceUrl, user }));
  return { status: res.status, text: answerText(http.connector.messages()) };
}

describe('the per-user rate limit over HTTP', () => {
  it('serves the first requests of a minute, then answers kindly and does nothing', async () => {
    for (let i = 0; i < LIMIT; i++) expect((await say('help', BEN)).text).toMatch(/^Coupling Assistant/);
    const before = await snapshotAll(http.db.db);
    const limited = await say('couple customer 10000 to account "Adatum Corporation"', BEN);
    expect(limited.status).toBe(200);
    expect(limited.text).toMatch(FRIENDLY);
    expect(await snapshotAll(http.db.db)).toEqual(before);
  });

  it('counts card clicks too, and answers them in the invoke response', async () => {
    const res = await http.post(
      teamsExecute('ca.cancel', {}, { serviceUrl: http.connector.serviceUrl, user: BEN }),
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { value: unknown }).value).toMatch(FRIENDLY);
  });

  it('is per person: someone else is still served', async () => {
    expect((await say('help', ADA)).text).toMatch(/^Coupling Assistant/);
  });
});

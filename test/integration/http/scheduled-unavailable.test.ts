import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardOf, cardText } from '../../support/bot-harness.js';
import { ensureIndexes } from '../../../core/store/indexes.js';
import { FAST_RETRY, startHarness, type Harness } from '../../kit/loopback/harness.js';
import { personalChat, startSyncHarness, type SyncHarness } from '../../bot/sync/harness.js';
import { ADA, BEN } from '../../bot/teams-activity.js';
import { httpEnv } from './http-bot.js';
import { seedFakes } from './seed-fakes.js';

/**
 * Scheduled synchronization every minute over the real connectors: RESOURCE-PRODUCT (no Resource entity
 * set in API v2.0) is skipped every interval, and managers hear about it once — not an alert a minute.
 */
let fakes: Harness;
let h: SyncHarness;
beforeAll(async () => {
  fakes = await startHarness();
  seedFakes(fakes.bc, fakes.dv);
  h = await startSyncHarness({
    env: { SYNC_INTERVAL_MINUTES: '1', ...httpEnv(fakes) },
    http: { fetch: fakes.fetch, httpRetry: FAST_RETRY },
  });
  await ensureIndexes(h.db.db);
});
afterAll(async () => {
  await h.close();
  await fakes.close();
});

const textsTo = (user: typeof ADA) => h.sentTo(personalChat(user)).map((a) => a.text ?? cardText(cardOf(a)));

describe('scheduled runs and a mapping the connection cannot serve', () => {
  it('five 1-minute intervals: every other mapping runs each time, RESOURCE-PRODUCT never; one message', async () => {
    await h.say('help', ADA); // both have a personal chat with the bot
    await h.say('help', BEN);
    const before = { ada: textsTo(ADA).length, ben: textsTo(BEN).length };
    for (let interval = 0; interval < 5; interval++) {
      const ran = await h.bot.runtime.scheduler.tick();
      expect(ran).toContain('CUSTOMER');
      expect(ran).not.toContain('RESOURCE-PRODUCT');
      h.clock.advanceMinutes(1);
    }
    const told = textsTo(ADA)
      .slice(before.ada)
      .filter((t) => t.includes('RESOURCE-PRODUCT'));
    expect(told).toEqual([
      expect.stringMatching(
        /^Table mapping RESOURCE-PRODUCT is not available over this connection: Business Central API v2\.0 has no entity set for Resource[\s\S]*Scheduled synchronization skips it, and commands on it say so\. You hear this once after each start/,
      ),
    ]);
    expect(textsTo(BEN).slice(before.ben)).toEqual([]);
    const jobs = await h.db.db.collection('jobs').countDocuments({ mapping: 'RESOURCE-PRODUCT' });
    expect(jobs).toBe(0);
    expect(fakes.bc.requests.filter((r) => r.path.includes('/resources'))).toEqual([]);
    const skipped = h
      .logs()
      .filter(
        (l) =>
          l['msg'] === 'scheduled synchronization skips a mapping' && l['mapping'] === 'RESOURCE-PRODUCT',
      );
    expect(skipped).toHaveLength(1);
  });
});

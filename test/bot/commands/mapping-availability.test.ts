import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotHarness, type BotHarness } from '../../support/bot-harness.js';
import { answerText, playFlow } from '../flow.js';
import { ADA, BEN } from '../teams-activity.js';

/** The sandbox serves every table, Resource included: RESOURCE-PRODUCT stays available there (the demo shows it). */
let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(() => h.close());

describe('mapping availability on the sandbox', () => {
  it('mappings shows every mapping available, RESOURCE-PRODUCT included', async () => {
    const text = answerText(await h.say('mappings', BEN));
    expect(text.match(/Availability: Available/g)).toHaveLength(7);
    expect(text).toMatch(/RESOURCE-PRODUCT\nResource ↔ product[\s\S]*?Availability: Available/);
    expect(text).not.toMatch(/not available over this connection/);
  });

  it('commands on RESOURCE-PRODUCT work as on any other mapping', () =>
    playFlow(h, [
      [BEN, 'show resource LINDA', /^Resource LINDA\nLinda Martin/],
      [BEN, 'mapping resource-product', /^Field mappings of RESOURCE-PRODUCT\n(?![\s\S]*not available)/],
      [ADA, 'match resources', /^Match-Based Coupling\nRESOURCE-PRODUCT · Resource ↔ product/],
      [ADA, 'sync resources modified', /Synchronize Modified Records/],
    ]));
});

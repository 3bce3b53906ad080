import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { button, cardText } from '../../support/bot-harness.js';
import { freshSandbox, startSyncHarness, type SyncHarness } from '../sync/harness.js';
import { ADA, BEN } from '../teams-activity.js';

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness({ env: { SYNC_INTERVAL_MINUTES: '0' } });
});
afterAll(() => h.close());
beforeEach(() => freshSandbox(h));

const card = async (says: string, user = BEN) => (await h.say(says, user)).card;
const openUrls = (c: unknown): string[] => JSON.stringify(c).match(/"Action\.OpenUrl"/g) ?? [];

describe('over the sandbox there is nowhere to open a record', () => {
  it('record, Set Up Coupling and error cards carry no Open in … buttons', async () => {
    expect(openUrls(await card('show customer 10000'))).toEqual([]);
    const setUp = await h.say('couple customer 10000', ADA);
    expect(openUrls(setUp.card)).toEqual([]);
    await h.click(button(setUp.card, 'Couple'), setUp.id, {}, ADA);
    expect(cardText(await card('show customer 10000'))).toMatch(/Coupled to account Adatum Corporation/);
    expect(openUrls(await card('show customer 10000'))).toEqual([]);
    await h.say('sandbox edit customer 10000 phone="+1 425 555 0111"', ADA);
    await h.say('sandbox edit account "Adatum Corporation" telephone1="+1 425 555 0122"', ADA);
    await h.say('sync customers modified', ADA);
    await h.settle();
    const errors = await card('errors customers', ADA);
    expect(cardText(errors)).toMatch(/10000 Adatum Corporation\nUpdate conflict/);
    expect(openUrls(errors)).toEqual([]);
  });
});

describe('Set Up Coupling names a candidate’s keys as Business Central does', () => {
  it('E-Mail and Phone No., not emailaddress1 and telephone1', async () => {
    const text = cardText(await card('couple customer 10000'));
    expect(text).toMatch(/Adatum Corporation\n[^\n]*E-Mail: [^\n]+@/);
    expect(text).toMatch(/Phone No\.: /);
    expect(text).not.toMatch(/emailaddress1|telephone1|accountnumber/);
  });
});

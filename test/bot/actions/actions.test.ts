import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Verb } from '../../../cards/index.js';
import { ADAPTIVE_CARD, ACTIVITY_MESSAGE } from '../../../bot/reply.js';
import { accountId } from '../../../connectors/sandbox/seed-data-dv.js';
import {
  button,
  cardOf,
  cardText,
  startBotHarness,
  type BotHarness,
  type InvokeResult,
} from '../../support/bot-harness.js';
import { ADA, BEN } from '../teams-activity.js';

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.say('sandbox reset', ADA);
});

const ADATUM = accountId('adatum');
const cardSent = async (text: string, user = BEN) => cardOf((await h.say(text, user))[0]);
const couplings = () =>
  h.db.db
    .collection('couplings')
    .find({}, { projection: { _id: 0, bcNumber: 1, dvId: 1 } })
    .toArray();

/** An Action.Execute answer that replaces the clicked card: 200 with an Adaptive Card. */
function replacedBy(result: InvokeResult, text: RegExp): void {
  expect(result.status).toBe(200);
  expect(result.body?.statusCode).toBe(200);
  expect(result.body?.type).toBe(ADAPTIVE_CARD);
  expect(cardText(result.body?.value)).toMatch(text);
}

describe('card actions (Action.Execute): each verb answers 200 with the card that replaces the clicked one', () => {
  it(`${Verb.show}: Refresh shows the record as it is now`, async () => {
    const card = await cardSent('show customer 10000');
    await h.say('couple customer 10000 to account "Adatum Corporation"');
    replacedBy(
      await h.click(button(card, 'Refresh')),
      /^Customer 10000\nAdatum Corporation[\s\S]*Coupled to account Adatum Corporation/,
    );
  });

  it(`${Verb.coupleSetUp}: Set Up Coupling on the record card opens the candidates`, async () => {
    const card = await cardSent('show customer 10000');
    replacedBy(
      await h.click(button(card, 'Set Up Coupling')),
      /^Set Up Coupling\nCustomer 10000 Adatum Corporation/,
    );
  });

  it(`${Verb.couplePick}: Couple couples once, with who and when; a second click changes nothing`, async () => {
    const card = await cardSent('couple customer 10000');
    const first = await h.click(button(card, 'Couple'), { syncAfterCoupling: 'No' });
    replacedBy(
      first,
      /^Coupled\nBy Ben User · \d{4}-\d\d-\d\d \d\d:\d\d UTC\nCustomer 10000 Adatum Corporation is now coupled/,
    );
    replacedBy(await h.click(button(card, 'Couple')), /^Already coupled[\s\S]*nothing was changed/);
    expect(await couplings()).toEqual([{ bcNumber: '10000', dvId: ADATUM }]);
  });

  it(`${Verb.couplePick}: Synchronize After Coupling runs right away and its changes are in the outcome`, async () => {
    const card = await cardSent('couple customer 10000');
    const result = await h.click(button(card, 'Couple'), {
      syncAfterCoupling: 'Yes - Use the Business Central data',
    });
    replacedBy(
      result,
      /^Coupled[\s\S]*Synchronize After Coupling \(Yes - Use the Business Central data\): Modified in Dataverse\.\n[\s\S]*accountnumber: \(empty\) → 10000/,
    );
  });

  it(`${Verb.coupleCreateNew}: Create New creates the Dataverse row and couples it`, async () => {
    // Relecloud's only account belongs to another company: nothing to pick, so Create New. It pays in
    // GBP, which reaches Dataverse by its ISO code: no currency coupling is needed.
    const card = await cardSent('couple customer 50000');
    replacedBy(
      await h.click(button(card, 'Create New')),
      /^Coupled[\s\S]*Relecloud[\s\S]*created from the Business Central record \(Create New\)/,
    );
    expect((await couplings()).map((c) => c.bcNumber)).toEqual(['50000']);
  });

  it(`${Verb.cancel}: Cancel replaces the card with who cancelled it`, async () => {
    const card = await cardSent('couple customer 10000');
    replacedBy(
      await h.click(button(card, 'Cancel')),
      /^Cancelled\nBy Ben User · .* UTC\nNothing was changed\.$/,
    );
    expect(await couplings()).toEqual([]);
  });

  it(`${Verb.uncoupleRequest} and ${Verb.uncoupleConfirm}: Delete Coupling asks, then deletes`, async () => {
    await h.say('couple customer 10000 to account "Adatum Corporation"');
    const card = await cardSent('show customer 10000');
    const ask = await h.click(button(card, 'Delete Coupling'));
    replacedBy(ask, /^Delete Coupling\nDelete the coupling of Customer 10000\?/);
    replacedBy(
      await h.click(button(ask.body?.value, 'Delete Coupling')),
      /^Delete Coupling: 1 of 1 uncoupled[\s\S]*no longer coupled/,
    );
    expect(await couplings()).toEqual([]);
  });

  it(`${Verb.uncoupleConfirm}: a list reports each record`, async () => {
    await h.say('couple customer 10000 to account "Adatum Corporation"');
    const card = await cardSent('uncouple customer 10000..30000');
    replacedBy(
      await h.click(button(card, 'Delete Coupling')),
      /^Delete Coupling: 1 of 3 uncoupled[\s\S]*Customer 10000 Adatum Corporation is no longer coupled[\s\S]*Customer 20000 Trey Research is not coupled/,
    );
  });

  it(`${Verb.uncoupleAllConfirm}: only a manager's click runs the Uncoupling job`, async () => {
    await h.say('couple customer 10000 to account "Adatum Corporation"');
    const card = await cardSent('uncouple all customers', ADA);
    const confirm = button(card, 'Delete Couplings');
    replacedBy(await h.click(confirm, {}, BEN), /^That did not work\nOnly managers can delete all couplings/);
    expect(await couplings()).toHaveLength(1);
    // The job runs in the background: the answer is its running card (the result replaces it out of turn).
    replacedBy(await h.click(confirm, {}, ADA), /^Uncoupling of CUSTOMER[\s\S]*Running…/);
    await h.bot.background.idle();
    expect(await couplings()).toEqual([]);
  });

  it(`${Verb.mappingShowFields}: the overview stays; the fields come as a new card`, async () => {
    const card = await cardSent('mappings');
    const result = await h.click(button(card, 'Show field mappings', 0));
    expect(result.body).toEqual({
      statusCode: 200,
      type: ACTIVITY_MESSAGE,
      value: 'Field mappings of CUSTOMER are below.',
    });
    expect(result.messages).toHaveLength(1);
    expect(cardText(cardOf(result.messages[0]))).toMatch(/CUSTOMER[\s\S]*Phone No\.[\s\S]*telephone1/);
  });

  it(`${Verb.mappingReset}: only a manager resets, and only the version the card showed`, async () => {
    await h.say('mapping customers direction to-dataverse', ADA);
    const card = await cardSent('mapping customers reset', ADA);
    const reset = button(card, 'Reset to defaults');
    replacedBy(await h.click(reset, {}, BEN), /Only managers can change table mappings/);
    await h.say('mapping customers sync-only-coupled off', ADA); // someone changes it meanwhile
    replacedBy(
      await h.click(reset, {}, ADA),
      /was changed by Ada Manager meanwhile[\s\S]*nothing was changed/i,
    );
    const fresh = await cardSent('mapping customers reset', ADA);
    replacedBy(
      await h.click(button(fresh, 'Reset to defaults'), {}, ADA),
      /reset to defaults[\s\S]*Direction: Bidirectional/,
    );
  });
});

describe('Action.Submit fallback: the same handlers, updating the clicked card in place', () => {
  it('updates the card the button was on (replyToId) with the outcome', async () => {
    const [sent] = await h.say('couple customer 10000');
    const result = await h.submit(button(cardOf(sent), 'Couple'), 'card-activity-1');
    expect(result.messages).toEqual([]);
    expect(result.updates).toHaveLength(1);
    expect(result.updates[0]?.id).toBe('card-activity-1');
    expect(cardText(cardOf(result.updates[0]))).toMatch(/^Coupled\nBy Ben User/);
    expect(await couplings()).toEqual([{ bcNumber: '10000', dvId: ADATUM }]);
  });

  it('replies with the outcome when the client gives no card to update', async () => {
    const card = await cardSent('couple customer 10000');
    const result = await h.submit(button(card, 'Cancel'), '');
    expect(result.updates).toEqual([]);
    expect(cardText(cardOf(result.messages[0]))).toMatch(/^Cancelled/);
  });

  it('sends text answers (field mappings) as messages', async () => {
    const card = await cardSent('mappings');
    const result = await h.submit(button(card, 'Show field mappings', 1), 'mappings-card');
    expect(result.messages.map((m) => m.text ?? cardText(cardOf(m)).split('\n')[0])).toEqual([
      'Field mappings of VENDOR are below.',
      expect.stringMatching(/VENDOR/),
    ]);
  });
});

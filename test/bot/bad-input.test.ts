import type { Db } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Verb } from '../../cards/index.js';
import { accountId } from '../../connectors/sandbox/seed-data-dv.js';
import { button, cardOf, cardText, startBotHarness, type BotHarness } from '../support/bot-harness.js';
import { answerText } from './flow.js';
import { ADA, BEN } from './teams-activity.js';

/** Every collection except those a turn may legitimately touch (conversation references, card refs). */
async function snapshot(db: Db) {
  const names = (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .filter((n) => n !== 'conversations' && n !== 'cardRefs')
    .sort();
  const entries = await Promise.all(
    names.map(async (n) => [n, await db.collection(n).find().sort({ _id: 1 }).toArray()]),
  );
  return Object.fromEntries(entries) as Record<string, unknown[]>;
}

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(() => h.close());
// A known state: Customer 10000 coupled to its account.
beforeEach(async () => {
  await h.say('sandbox reset', ADA);
  await h.say('couple customer 10000 to account "Adatum Corporation"');
});

const ADATUM = accountId('adatum');
const ADATUM_OTHER_COMPANY = accountId('adatum-other-company');
const FINE_ART = accountId('fine-art-spacing');

/** Runs `act`, checks the answer, and that nothing in the database changed. */
async function refusedWithoutChange(act: () => Promise<string>, answer: RegExp): Promise<void> {
  const before = await snapshot(h.db.db);
  expect(await act()).toMatch(answer);
  expect(await snapshot(h.db.db)).toEqual(before);
}

const says =
  (text: string, user = BEN) =>
  async () =>
    answerText(await h.say(text, user));

describe('bad typed input gets a clear answer and changes nothing', () => {
  it.each([
    ['an unknown entity', 'couple custmer 20000', /did you mean customer\?/],
    ['a missing number', 'couple customer', /Which record\? Add its number/],
    [
      'a number that does not exist',
      'couple customer 99999',
      /There is no Customer 99999 in Business Central/,
    ],
    [
      'a number that does not exist, coupling directly',
      'couple customer 99999 to account "Adatum Corporation"',
      /There is no Customer 99999/,
    ],
    [
      'a Dataverse row outside the mapping filter',
      `couple customer 20000 to account ${ADATUM_OTHER_COMPANY}`,
      /filters applied to table mapping CUSTOMER are preventing it/,
    ],
    [
      'a Dataverse row already coupled to another record',
      `couple customer 20000 to account ${ADATUM}`,
      /already coupled to Customer 10000/,
    ],
    [
      'a record already coupled to another row',
      `couple customer 10000 to account ${FINE_ART}`,
      /(already coupled|Delete Coupling first)/i,
    ],
    [
      'a Dataverse id that does not exist',
      'couple account 00000000-0000-4000-8000-000000000000',
      /There is no account with id/,
    ],
    [
      'a row name that does not exist',
      'couple customer 20000 to account "Nobody Inc"',
      /No account is named "Nobody Inc" exactly/,
    ],
    ['text over 2,000 characters', `show customer ${'9'.repeat(2_100)}`, /too long \(2,114 characters\)/],
    [
      'a manager command from a non-manager',
      'mapping customers direction to-dataverse',
      /Only managers can change table mappings/,
    ],
    ['an unknown command', 'delete everything', /I don't know the command 'delete'/],
  ])('%s', async (_name, text, answer) => {
    await refusedWithoutChange(says(text), answer);
  });
});

describe('bad card data is refused and changes nothing', () => {
  const pickButton = async () => button(cardOf((await h.say('couple customer 20000'))[0]), 'Couple');
  const clicked =
    (verb: string, data: Record<string, unknown>, user = BEN) =>
    async () => {
      const r = await h.execute(verb, data, user);
      expect(r.status).toBe(200);
      return cardText(r.body?.value);
    };

  it.each([
    ['another record’s number', { number: '30000' }],
    ['another record’s id', { bcId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301' }],
    ['another Dataverse row', { dvId: FINE_ART }],
    ['an operator object {"$ne": null} as the id', { bcId: { $ne: null } }],
    ['an operator object {"$ne": null} as the number', { number: { $ne: null } }],
    ['an operator object in the mapping name', { mapping: { $gt: '' } }],
  ])('forged: %s', async (_name, change) => {
    const b = await pickButton();
    await refusedWithoutChange(
      clicked(b.verb, { ...b.data, ...change }),
      /card’s data was changed or comes from elsewhere[\s\S]*Nothing was changed/,
    );
  });

  it('unsigned data, even well-formed, is refused', async () => {
    const data = {
      mapping: 'CUSTOMER',
      bcId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
      number: '20000',
      dvId: FINE_ART,
    };
    await refusedWithoutChange(clicked(Verb.couplePick, data), /card’s data was changed/);
  });

  it('an input value outside its choices is refused', async () => {
    const b = await pickButton();
    await refusedWithoutChange(
      clicked(b.verb, { ...b.data, syncAfterCoupling: { $ne: null } }),
      /card’s data was changed/,
    );
    await refusedWithoutChange(
      clicked(b.verb, { ...b.data, syncAfterCoupling: 'Yes, twice' }),
      /card’s data was changed/,
    );
  });

  it('an unknown verb is refused', async () => {
    await refusedWithoutChange(clicked('ca.delete.everything', {}), /That button is not one I know/);
  });

  it('a forged Action.Submit fallback is refused the same way', async () => {
    const b = await pickButton();
    const before = await snapshot(h.db.db);
    const result = await h.submit({ ...b, data: { ...b.data, number: '30000' } }, 'card-1');
    expect(cardText(cardOf(result.updates[0] ?? result.messages[0]))).toMatch(/card’s data was changed/);
    expect(await snapshot(h.db.db)).toEqual(before);
  });

  it('a manager’s confirmation clicked by someone else is refused in core', async () => {
    const card = cardOf((await h.say('uncouple all customers', ADA))[0]);
    const confirm = button(card, 'Delete Couplings');
    await refusedWithoutChange(
      clicked(confirm.verb, confirm.data, BEN),
      /Only managers can delete all couplings/,
    );
  });
});

describe('tenants outside ALLOWED_TENANT_IDS', () => {
  it('get a polite refusal and no work is done', async () => {
    const other = await startBotHarness({
      env: { ALLOWED_TENANT_IDS: 'aaaaaaaa-0000-4000-8000-000000000001' },
    });
    try {
      const before = await snapshot(other.db.db);
      const answer = answerText(await other.say('couple customer 10000 to account "Adatum Corporation"'));
      expect(answer).toMatch(/serves another organization[\s\S]*Nothing was changed/);
      expect(await snapshot(other.db.db)).toEqual(before);
      expect(await other.db.db.collection('conversations').countDocuments()).toBe(0);
    } finally {
      await other.close();
    }
  });
});

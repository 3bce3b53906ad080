import type { Db } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Verb } from '../../../cards/index.js';
import { FORGED_DATA } from '../../../bot/actions/action.js';
import { button, cardText, type CardButton } from '../../support/bot-harness.js';
import { ADA, BEN } from '../teams-activity.js';
import { freshSandbox, startSyncHarness, type SyncHarness } from './harness.js';

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

let h: SyncHarness;
/** The direction card for customer 10000 (coupled, changed on both sides) and the errors card of its conflict. */
let direction: { card: unknown; id: string | undefined };
let errors: { card: unknown; id: string | undefined };

beforeAll(async () => {
  h = await startSyncHarness({ env: { SYNC_INTERVAL_MINUTES: '0' } });
  await freshSandbox(h);
  const setUp = await h.say('couple customer 10000', ADA);
  await h.click(
    button(setUp.card, 'Couple'),
    setUp.id,
    { syncAfterCoupling: 'Yes - Use the Business Central data' },
    ADA,
  );
  await h.say('sandbox edit customer 10000 phone="+1 425 555 0111"', ADA);
  await h.say('sandbox edit account "Adatum Corporation" telephone1="+1 425 555 0122"', ADA);
  await h.say('sync customers modified', ADA);
  await h.settle();
  direction = await h.say('sync customer 10000');
  errors = await h.say('errors customers');
});
afterAll(() => h.close());
beforeEach(() => h.settle());

const OTHER_GUID = '0b9f8e7d-6c5b-4a39-8271-605f4e3d2c1b';
const OP = { $ne: null };

const forged = (b: CardButton, data: Record<string, unknown>): CardButton => ({
  ...b,
  data: { ...b.data, ...data },
});

/** Clicks, and checks the answer and that nothing in the database changed. */
async function refusedWithoutChange(b: () => CardButton, inputs: Record<string, unknown>, answer: RegExp) {
  const before = await snapshot(h.db.db);
  const turn = await h.click(b(), direction.id, inputs);
  expect(turn.body?.statusCode).toBe(200);
  expect(cardText(turn.card)).toMatch(answer);
  await h.settle();
  expect(await snapshot(h.db.db)).toEqual(before);
}

const FORGED = new RegExp(FORGED_DATA.slice(0, 40).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
const synchronize = () => button(direction.card, 'Synchronize');
const errorButton = (title: string) => () => button(errors.card, title);

describe('card data for synchronization is refused unless it is what the card sent', () => {
  it.each([
    [
      'an unknown direction',
      synchronize,
      { direction: 'Sideways' },
      /"Sideways" is not a synchronization direction; use ToIntegrationTable \(Send data update to Dataverse\)/,
    ],
    ['a direction that is an operator object', synchronize, { direction: OP }, FORGED],
    ['no direction at all', synchronize, {}, FORGED],
    [
      'a forged record id',
      () => forged(synchronize(), { bcIds: [OTHER_GUID] }),
      { direction: 'ToIntegrationTable' },
      FORGED,
    ],
    [
      'record ids as an operator object',
      () => forged(synchronize(), { bcIds: OP }),
      { direction: 'ToIntegrationTable' },
      FORGED,
    ],
    [
      'another mapping',
      () => forged(synchronize(), { mapping: 'VENDOR' }),
      { direction: 'ToIntegrationTable' },
      FORGED,
    ],
    ['a forged error id (Retry)', () => forged(errorButton('Retry')(), { errorId: OTHER_GUID }), {}, FORGED],
    [
      'an error id as an operator object',
      () => forged(errorButton('Delete Coupling')(), { errorId: OP }),
      {},
      FORGED,
    ],
    [
      'a forged error id (Synchronize…)',
      () => forged(errorButton('Synchronize…')(), { errorId: OTHER_GUID }),
      {},
      FORGED,
    ],
    ['a side that is an operator object', errorButton('Synchronize…'), { direction: { $gt: '' } }, FORGED],
    [
      'Merge data as "which side wins"',
      errorButton('Synchronize…'),
      { direction: 'Bidirectional' },
      /^That did not work\nChoose which side wins/,
    ],
    [
      'Retry All of another mapping',
      () => forged(errorButton('Retry All')(), { mapping: 'VENDOR' }),
      {},
      FORGED,
    ],
    [
      'well-formed ids without the card’s seal',
      (): CardButton => ({
        title: 'x',
        verb: Verb.syncRun,
        data: { mapping: 'CUSTOMER', bcIds: [OTHER_GUID] },
      }),
      { direction: 'ToIntegrationTable' },
      FORGED,
    ],
    [
      'an unsigned error id of the right shape',
      (): CardButton => ({ title: 'x', verb: Verb.errorSynchronize, data: { errorId: OTHER_GUID } }),
      {},
      FORGED,
    ],
  ] as const)('%s', (_name, b, inputs, answer) => refusedWithoutChange(b, inputs, answer));

  it('a sealed card whose record was uncoupled meanwhile says so and changes nothing else', async () => {
    const shown = await h.say('show customer 10000');
    const syncNow = button(shown.card, 'Synchronize Now');
    await h.say('uncouple customer 10000', BEN).then((t) => h.click(button(t.card, 'Delete Coupling'), t.id));
    const before = await snapshot(h.db.db);
    expect(cardText((await h.click(syncNow, shown.id)).card)).toMatch(
      /Customer 10000 is not coupled\. Couple it first: couple customer 10000/,
    );
    expect(await snapshot(h.db.db)).toEqual(before);
  });
});

describe('typed sync commands with bad input', () => {
  it.each([
    ['sync customers', /Which records\? Add their numbers/],
    ['sync widgets 10000', /I don't know 'widgets'\. Business Central tables: customer, vendor/],
    ['sync widgets modified', /I don't know 'widgets'\. Business Central tables/],
    ['sync custmer 10000', /did you mean customer\?/],
    ['sync customer 10000..9000', /There are no Customer records in 10000\.\.9000/],
    ['status widgets', /WIDGETS/],
    ['errors widgets', /WIDGETS/],
  ])('%s', async (says, answer) => {
    const before = await snapshot(h.db.db);
    const turn = await h.say(says);
    expect(turn.messages.map((m) => m.text ?? cardText(m.attachments?.[0]?.content)).join('\n')).toMatch(
      answer,
    );
    expect(await snapshot(h.db.db)).toEqual(before);
  });
});

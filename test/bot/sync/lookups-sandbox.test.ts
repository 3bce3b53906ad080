import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Fields } from '../../../core/model/record.js';
import { accountId } from '../../../connectors/sandbox/seed-data-dv.js';
import { dvSeedId } from '../../../connectors/sandbox/seed.js';
import { button, cardOf, cardText } from '../../support/bot-harness.js';
import { ADA, BEN } from '../teams-activity.js';
import { freshSandbox, startSyncHarness, type SyncHarness } from './harness.js';

/**
 * The demo shows the look-ups as Business Central resolves them: the sandbox models Dataverse's base
 * currency and currencies by ISO code, salespeople couplings and contact business relations.
 */
let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness({ env: { SYNC_INTERVAL_MINUTES: '0' } });
});
afterAll(() => h.close());
beforeEach(() => freshSandbox(h));

const USD = dvSeedId('transactioncurrency', 'usd');
const EUR = dvSeedId('transactioncurrency', 'eur');
const JIM = dvSeedId('systemuser', 'jim-olive');

const dvFields = async (table: string, id: string): Promise<Fields> =>
  ((await h.db.db.collection(`dv.${table}`).findOne({ _id: id as never }))?.fields ?? {}) as Fields;
const dvCount = (table: string) => h.db.db.collection(`dv.${table}`).countDocuments({});
const text = (turn: { messages: Array<{ text?: string }>; card: unknown }) =>
  turn.messages.map((m) => m.text ?? '').join('\n') + cardText(turn.card);

async function createNew(entity: string, number: string): Promise<string> {
  const asked = await h.say(`couple ${entity} ${number}`, ADA);
  const done = await h.click(button(asked.card, 'Create New'), asked.id, {}, ADA);
  await h.settle();
  return cardText(done.card ?? cardOf(done.messages[0]));
}

describe('look-ups in the sandbox, as in Business Central', () => {
  it('a customer with no currency reaches its account as the base currency, with no currency coupling', async () => {
    expect(text(await h.say('couple customer 10000 to account "Adatum Corporation"', ADA))).toMatch(
      /Coupled/,
    );
    await h.say('sandbox edit customer 10000 phone="+1 425 555 0101"', ADA);
    const asked = await h.say('sync customer 10000', BEN);
    expect(cardText(asked.card)).not.toMatch(/Changed on both sides/);
    await h.click(button(asked.card, 'Synchronize'), asked.id, { direction: 'Bidirectional' });
    await h.settle();
    expect(await dvFields('account', accountId('adatum'))).toMatchObject({
      telephone1: '+1 425 555 0101',
      transactioncurrencyid: USD,
    });
  });

  it('Create New: EUR and the owner of a coupled salesperson; an unknown currency creates nothing', async () => {
    expect(text(await h.say('couple salesperson JO to systemuser "Jim Olive"', ADA))).toMatch(/Coupled/);
    // Alpine Ski House (40000) pays in EUR; its salesperson is JO.
    expect(await createNew('customer', '40000')).toMatch(/^Coupled/);
    const coupling = await h.db.db
      .collection('couplings')
      .findOne({ mapping: 'CUSTOMER', bcNumber: '40000' });
    expect(await dvFields('account', String(coupling?.dvId))).toMatchObject({
      transactioncurrencyid: EUR,
      ownerid: JIM,
    });
    // School of Fine Art (30000) pays in CAD, which the sandbox's Dataverse lacks.
    const accounts = await dvCount('account');
    expect(await createNew('customer', '30000')).toContain('Dataverse has no currency CAD');
    expect(await dvCount('account')).toBe(accounts);
  });

  it("a contact's Create New names the customer to couple first, then links the parent account", async () => {
    const contacts = await dvCount('contact');
    expect(await createNew('contact', 'CT201')).toContain('couple customer 20000 Trey Research first');
    expect(await dvCount('contact')).toBe(contacts);
    await h.say(`couple customer 20000 to account ${accountId('trey-lowercase')}`, ADA);
    expect(await createNew('contact', 'CT201')).toMatch(/^Coupled/);
    const coupling = await h.db.db.collection('couplings').findOne({ mapping: 'CONTACT', bcNumber: 'CT201' });
    expect((await dvFields('contact', String(coupling?.dvId))).parentcustomerid).toBe(
      accountId('trey-lowercase'),
    );
  });

  it("a customer's primary contact crosses through the contact's coupling", async () => {
    await h.say('couple contact CT101 to contact "Robert Townes"', ADA);
    await h.say('couple customer 10000 to account "Adatum Corporation"', ADA);
    const asked = await h.say('sync customer 10000', BEN);
    await h.click(button(asked.card, 'Synchronize'), asked.id, { direction: 'ToIntegrationTable' });
    await h.settle();
    expect((await dvFields('account', accountId('adatum'))).primarycontactid).toBe(
      dvSeedId('contact', 'robert-townes'),
    );
  });
});

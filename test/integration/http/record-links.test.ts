import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { button, buttonsOf, cardText } from '../../support/bot-harness.js';
import { ADA, BEN } from '../../bot/teams-activity.js';
import type { Row } from '../../kit/loopback/fake-store.js';
import { startHttpBot, type HttpBot } from './http-bot.js';

let h: HttpBot;
beforeAll(async () => {
  h = await startHttpBot({ env: { MANAGER_AAD_OBJECT_IDS: ADA.aadObjectId } });
});
afterAll(() => h.close());
beforeEach(() => h.reset());

/** Every Open … link of a card, in card order, as [title, url]. */
function links(card: unknown): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const n = node as Record<string, unknown>;
    if (n.type === 'Action.OpenUrl') found.push([String(n.title), String(n.url)]);
    Object.values(n).forEach(walk);
  };
  walk(card);
  return found;
}

const customer = (number: string): Row =>
  h.fakes.bc
    .table('customers')
    .all()
    .find((r) => r.number === number) as Row;
const adatum = (): Row =>
  h.fakes.dv
    .table('accounts')
    .all()
    .find((r) => r.name === 'Adatum Corporation' && r._bcbi_companyid_value === h.fakes.bc.companyId) as Row;

/** The web client URL of a customer's card page in the fake's tenant, environment and company. */
const customerCard = (number: string) =>
  `https://businesscentral.dynamics.com/${h.fakes.bc.tenantId}/${h.fakes.bc.environment}/` +
  `?company=CRONUS%20USA%2C%20Inc.&page=21&filter='No.'%20IS%20'${number}'`;
const accountForm = (id: unknown) =>
  `${h.fakes.dv.origin}/main.aspx?etn=account&pagetype=entityrecord&id=${String(id)}`;

describe('Open in Business Central / Open in Dataverse over the HTTP connectors', () => {
  it('the record card opens the customer card page; Open in Dataverse appears once it is coupled', async () => {
    expect(h.fakes.bc.tenantId).toBe('contoso.onmicrosoft.com');
    const shown = await h.ask('show customer 10000', BEN);
    expect(links(shown.card)).toEqual([
      [
        'Open in Business Central',
        'https://businesscentral.dynamics.com/contoso.onmicrosoft.com/Production/' +
          "?company=CRONUS%20USA%2C%20Inc.&page=21&filter='No.'%20IS%20'10000'",
      ],
    ]);
    await h.ask('couple customer 10000 to account "Adatum Corporation"', BEN);
    const coupled = await h.ask('show customer 10000', BEN);
    expect(links(coupled.card)).toEqual([
      ['Open in Business Central', customerCard('10000')],
      ['Open in Dataverse', accountForm(adatum().accountid)],
    ]);
  });

  it('Set Up Coupling: each candidate opens in Dataverse and shows its keys by caption, not column', async () => {
    const setUp = await h.ask('couple customer 10000', BEN);
    expect(setUp.text).toMatch(
      /Adatum Corporation\nE-Mail: robert\.townes@adatum\.com · Phone No\.: \(425\) 555-0100/,
    );
    expect(setUp.text).not.toMatch(/emailaddress1|telephone1|accountnumber/);
    const found = links(setUp.card);
    expect(found[0]).toEqual(['Open in Dataverse', accountForm(adatum().accountid)]);
    const couple = buttonsOf(setUp.card).filter((b) => b.title === 'Couple');
    expect(couple.length).toBeGreaterThan(0);
    expect(found.slice(0, -1)).toEqual(couple.map((b) => ['Open in Dataverse', accountForm(b.data.dvId)]));
    expect(found.at(-1)).toEqual(['Open in Business Central', customerCard('10000')]);
  });

  it('two rows of one name: each Open in Dataverse opens its own row', async () => {
    const setUp = await h.ask('couple customer 40000', BEN);
    const couple = buttonsOf(setUp.card).filter((b) => b.title === 'Couple');
    expect(couple.map((b) => b.data.dvId)).toHaveLength(2);
    expect(links(setUp.card)).toEqual([
      ...couple.map((b): [string, string] => ['Open in Dataverse', accountForm(b.data.dvId)]),
      ['Open in Business Central', customerCard('40000')],
    ]);
  });

  it('a synchronization error opens both records where they live', async () => {
    const setUp = await h.ask('couple customer 10000', ADA);
    await h.click(button(setUp.card, 'Couple'), {}, ADA);
    await h.settle();
    h.fakes.bc.table('customers').update(String(customer('10000').id), { phoneNumber: '+1 425 555 0111' });
    h.fakes.dv.table('accounts').update(String(adatum().accountid), { telephone1: '+1 425 555 0122' });
    await h.ask('sync customers modified', ADA);
    const errors = await h.ask('errors customers', ADA);
    expect(cardText(errors.card)).toMatch(/10000 Adatum Corporation\nUpdate conflict/);
    expect(links(errors.card)).toEqual([
      ['Open in Business Central', customerCard('10000')],
      ['Open in Dataverse', accountForm(adatum().accountid)],
    ]);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { button, buttonsOf, cardText } from '../../support/bot-harness.js';
import { ADA, BEN } from '../../bot/teams-activity.js';
import type { Row } from '../../kit/loopback/fake-store.js';
import { startHttpBot, type HttpBot } from './http-bot.js';

/** Near matches over the HTTP connectors: the loopback BC and Dataverse hold the two spellings. */
let h: HttpBot;
beforeAll(async () => {
  h = await startHttpBot();
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.reset();
  const relecloud = h.fakes.bc
    .table('customers')
    .all()
    .find((r) => r.number === '50000') as Row;
  h.fakes.bc
    .table('customers')
    .update(String(relecloud.id), { displayName: 'North Wind Traders', phoneNumber: '+1 425 555 0199' });
  const adatum = h.fakes.dv
    .table('accounts')
    .all()
    .find((r) => r.name === 'Adatum Corporation' && r._bcbi_companyid_value === h.fakes.bc.companyId) as Row;
  const { accountid: _id, ...shape } = adatum;
  h.fakes.dv.table('accounts').insert({
    ...shape,
    name: 'Northwind Traders',
    telephone1: '(425) 555-0199',
    emailaddress1: null,
    address1_city: 'Seattle',
  });
});

const northwind = (): Row =>
  h.fakes.dv
    .table('accounts')
    .all()
    .find((r) => r.name === 'Northwind Traders') as Row;

/** Runs `match customers`; returns the results card and the click that couples Northwind Traders. */
async function propose(user = ADA) {
  const criteria = await h.ask('match customers', user);
  const run = await h.click(button(criteria.card, 'Run'), {}, user);
  await h.settle();
  const card = run.body?.value;
  const bcId = String(
    h.fakes.bc
      .table('customers')
      .all()
      .find((r) => r.number === '50000')?.id,
  );
  // Row ids are `<position>:<BC id>`: the row of customer 50000.
  const couple = buttonsOf(card).find(
    (b) => b.title === 'Couple to this near match' && String(b.data.rowId).endsWith(`:${bcId}`),
  );
  const inputs = couple ? { [`near:${String(couple.data.rowId)}`]: String(northwind().accountid) } : {};
  return { card, couple, inputs };
}

describe('near matches over the HTTP connectors', () => {
  it("shows BC's 'North Wind Traders' with Dataverse's 'Northwind Traders' as a near candidate and its reasons", async () => {
    const { card } = await propose();
    expect(cardText(card)).toContain(
      "Near match: Northwind Traders, 99% (name 95% similar: 'North Wind Traders' vs 'Northwind Traders'; same phone digits)",
    );
    expect(cardText(card)).toMatch(/50000 North Wind Traders\nNo match/);
  });

  it('a manager couples the near pair; a repeated click changes nothing', async () => {
    const { couple, inputs } = await propose();
    expect(couple).toBeDefined();
    const done = await h.click(couple!, inputs, ADA);
    await h.settle();
    expect(cardText(done.body?.value)).toContain(
      'Coupled to its near match Northwind Traders by Ada Manager',
    );
    const couplings = () => h.db.db.collection('couplings').find({ mapping: 'CUSTOMER' }).toArray();
    expect((await couplings()).map((c) => [c.bcNumber, c.dvId])).toEqual([['50000', northwind().accountid]]);
    await h.click(couple!, inputs, ADA);
    await h.settle();
    expect(await couplings()).toHaveLength(1);
  });

  it("a non-manager's click is refused and nothing is coupled", async () => {
    const { couple, inputs } = await propose();
    const refused = await h.click(couple!, inputs, BEN);
    expect(cardText(refused.body?.value)).toMatch(/Only managers can approve a near match/);
    expect(await h.db.db.collection('couplings').countDocuments()).toBe(0);
  });
});

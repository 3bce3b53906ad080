import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { button, cardText } from '../../support/bot-harness.js';
import { ADA, BEN } from '../../bot/teams-activity.js';
import type { Row } from '../../kit/loopback/fake-store.js';
import { startHttpBot, type HttpBot } from './http-bot.js';

let h: HttpBot;
beforeAll(async () => {
  h = await startHttpBot();
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const BC_DATA = 'Yes - Use the Business Central data';
const customer = (number: string): Row => {
  const row = h.fakes.bc
    .table('customers')
    .all()
    .find((r) => r.number === number);
  if (!row) throw new Error(`no customer ${number} in the fake BC`);
  return row;
};
const account = (name: string, companyId: string | null = h.fakes.bc.companyId): Row => {
  const row = h.fakes.dv
    .table('accounts')
    .all()
    .find((r) => r.name === name && r._bcbi_companyid_value === companyId);
  if (!row) throw new Error(`no account ${name} in the fake Dataverse`);
  return row;
};
const editBc = (number: string, changes: Row) =>
  h.fakes.bc.table('customers').update(String(customer(number).id), changes);
const editDv = (name: string, changes: Row) =>
  h.fakes.dv.table('accounts').update(String(account(name).accountid), changes);

/** couple customer <number> → Set Up Coupling (candidates from the fake Dataverse) → Couple the best. */
async function coupleViaSetUp(inputs: Record<string, unknown> = {}, number = '10000'): Promise<string> {
  const setUp = await h.say(`couple customer ${number}`, ADA);
  const card = setUp[0]?.attachments?.[0]?.content;
  const done = await h.click(button(card, 'Couple'), inputs, ADA);
  await h.settle();
  return cardText(done.body?.value);
}

describe('every command of the earlier issues against the loopback BC and Dataverse', () => {
  it('show reads the customer from Business Central API v2.0', async () => {
    const { text } = await h.ask('show customer 10000');
    expect(text).toMatch(/^Customer 10000\nAdatum Corporation\n[\s\S]*City: Atlanta[\s\S]*Not coupled/);
  });

  it('couple: Set Up Coupling lists candidates from Dataverse inside the filter; Couple couples', async () => {
    const { text, card } = await h.ask('couple customer 10000', ADA);
    expect(text).toMatch(/best first:\nAdatum Corporation\n/);
    // The other company's Adatum is outside the CUSTOMER filter (bcbi_companyid): not offered.
    expect(text.match(/^Adatum Corporation$/gm)).toHaveLength(1);
    const pick = button(card, 'Couple');
    expect(pick.data).toMatchObject({
      mapping: 'CUSTOMER',
      number: '10000',
      dvId: account('Adatum Corporation').accountid,
    });
    const done = await h.click(pick, { syncAfterCoupling: BC_DATA }, ADA);
    await h.settle();
    expect(cardText(done.body?.value)).toMatch(
      /^Coupled\n[\s\S]*Customer 10000 Adatum Corporation is now coupled to account Adatum Corporation[\s\S]*accountnumber: \(empty\) → 10000/,
    );
    expect(account('Adatum Corporation').accountnumber).toBe('10000');
    expect(account('Adatum Corporation').address1_primarycontactname).toBe('Robert Townes');
    const shown = await h.ask('show customer 10000');
    expect(shown.text).toMatch(/Coupled to account Adatum Corporation/);
  });

  it('couple directly by exact name (Dataverse findByField), then uncouple with confirmation', async () => {
    const coupled = await h.ask('couple customer 30000 to account "School of Fine Art"', BEN);
    expect(coupled.text).toMatch(/^Coupled[\s\S]*Customer 30000 School of Fine Art is now coupled/);
    const asked = await h.ask('uncouple customer 30000', BEN);
    expect(asked.text).toMatch(/^Delete Coupling/);
    const before = { bc: customer('30000'), dv: account('School of Fine Art') };
    const done = await h.click(button(asked.card, 'Delete Coupling'), {}, BEN);
    await h.settle();
    expect(cardText(done.body?.value)).toMatch(/Customer 30000/);
    expect((await h.ask('show customer 30000')).text).toMatch(/Not coupled to Dataverse/);
    // Uncoupling writes to neither system.
    expect({ bc: customer('30000'), dv: account('School of Fine Art') }).toEqual(before);
  });

  it.each([
    {
      direction: 'ToIntegrationTable',
      edit: () => editBc('10000', { phoneNumber: '+1 425 555 0199' }),
      result: /telephone1: \(425\) 555-0100 → \+1 425 555 0199/,
      check: () => expect(account('Adatum Corporation').telephone1).toBe('+1 425 555 0199'),
    },
    {
      direction: 'FromIntegrationTable',
      edit: () => editDv('Adatum Corporation', { telephone1: '+1 425 555 0177' }),
      result: /Phone No\.: \(425\) 555-0100 → \+1 425 555 0177/,
      check: () => expect(customer('10000').phoneNumber).toBe('+1 425 555 0177'),
    },
  ])('sync $direction after an edit in the other system writes it through the API', async (c) => {
    await coupleViaSetUp();
    c.edit();
    const asked = await h.ask('sync customer 10000', BEN);
    expect(asked.text).toMatch(/^Synchronize Now/);
    const done = await h.click(button(asked.card, 'Synchronize'), { direction: c.direction }, BEN);
    await h.settle();
    const text = cardText(done.body?.value);
    expect(text).toContain('Inserted 0 · Modified 1 · Deleted 0 · Unchanged 0');
    expect(text).toMatch(c.result);
    c.check();
    // Customer "Contact" has no API v2.0 property: its Dataverse column is left alone.
    expect(account('Adatum Corporation').address1_primarycontactname).toBe('Robert Townes');
  });

  it('sync customers modified: a change on each side of one field is a conflict; neither side is overwritten', async () => {
    await coupleViaSetUp();
    editBc('10000', { phoneNumber: '+1 425 555 0111' });
    editDv('Adatum Corporation', { telephone1: '+1 425 555 0122' });
    await h.ask('sync customers modified', ADA);
    const errors = await h.ask('errors customers', ADA);
    expect(errors.text).toMatch(
      /10000 Adatum Corporation\nUpdate conflict[\s\S]*changed in both Business Central and Dataverse: fields? .*Phone No\./,
    );
    expect(customer('10000').phoneNumber).toBe('+1 425 555 0111');
    expect(account('Adatum Corporation').telephone1).toBe('+1 425 555 0122');
  });

  it('a row changed by someone else between read and write: 412, reported, their change kept', async () => {
    await coupleViaSetUp();
    editBc('10000', { phoneNumber: '+1 425 555 0144' });
    const asked = await h.ask('sync customer 10000', BEN);
    // Another user saves the account just before our write reaches Dataverse: the fault hook sees the
    // write arrive, makes that edit once, and lets the write through (it never answers with the fault).
    let edited = false;
    h.fakes.dv.failNext({ kind: 'status', status: 500 }, (r) => {
      if (r.method !== 'GET' && !edited) {
        edited = true;
        editDv('Adatum Corporation', { telephone1: '+1 425 555 0155' });
      }
      return false;
    });
    const done = await h.click(button(asked.card, 'Synchronize'), { direction: 'ToIntegrationTable' }, BEN);
    await h.settle();
    expect(cardText(done.body?.value)).toContain(
      'account "Adatum Corporation" was changed in Dataverse since it was read; nothing was overwritten',
    );
    expect(account('Adatum Corporation').telephone1).toBe('+1 425 555 0155');
  });

  it('match customers, Run, Approve all: couplings from the proposals found in Dataverse', async () => {
    const criteria = await h.ask('match customers', ADA);
    const run = await h.click(button(criteria.card, 'Run'), {}, ADA);
    await h.settle();
    const results = cardText(run.body?.value);
    expect(results).toMatch(/Proposed: 3\nWould create: 0\nNo match: 1\nSeveral matches: 1/);
    expect(results).toMatch(/20000 Trey Research: false\ntrey research\n/);
    expect(await h.db.db.collection('couplings').countDocuments()).toBe(0);
    const approved = await h.click(button(run.body?.value, 'Approve all'), {}, ADA);
    await h.settle();
    expect(cardText(approved.body?.value)).toMatch(/Approved by Ada Manager at .*: 3 coupled, 0 failed/);
    const couplings = await h.db.db
      .collection('couplings')
      .find({ mapping: 'CUSTOMER' })
      .sort({ bcNumber: 1 })
      .toArray();
    expect(couplings.map((c) => [c.bcNumber, c.dvId])).toEqual([
      ['10000', account('Adatum Corporation').accountid],
      ['20000', account('trey research', null).accountid],
      ['30000', account('School of Fine Art').accountid],
    ]);
  });

  it('import accounts: rows inserted into Dataverse with the company id and type code', async () => {
    const csv = 'name,emailaddress1,address1_city\nNorthwind Traders,info@northwind.com,Seattle\n';
    const sent = await h.sayWith(
      'import accounts',
      [{ contentType: 'text/csv', name: 'a.csv', content: csv }],
      ADA,
    );
    await h.settle();
    expect(sent).toMatch(/1 rows? inserted, 0 rejected/);
    expect(account('Northwind Traders')).toMatchObject({
      customertypecode: 3,
      statecode: 0,
      address1_city: 'Seattle',
      _bcbi_companyid_value: h.fakes.bc.companyId,
    });
  });

  it('a Currency Code Dataverse has no currency for fails that record alone, naming the currency and the fix', async () => {
    await coupleViaSetUp({ syncAfterCoupling: BC_DATA });
    await coupleViaSetUp({ syncAfterCoupling: BC_DATA }, '30000');
    editBc('10000', { currencyCode: 'XYZ', phoneNumber: '+1 425 555 0166' });
    editBc('30000', { phoneNumber: '+1 305 555 0199' });
    const before = account('Adatum Corporation');
    const run = await h.ask('sync customers modified', ADA);
    expect(run.text).toMatch(/^Synchronization of CUSTOMER/);
    const status = await h.ask('status customers', BEN);
    expect(status.text).toMatch(/Modified 1 · Deleted 0 · Unchanged \d+ · Skipped 0 · Failed 1/);
    const errors = await h.ask('errors customers', BEN);
    expect(errors.text).toMatch(
      /10000 Adatum Corporation[\s\S]*Dataverse has no currency XYZ: add it in Dataverse, or synchronize currencies/,
    );
    expect(account('School of Fine Art').telephone1).toBe('+1 305 555 0199');
    expect(account('Adatum Corporation')).toEqual(before);
  });
});

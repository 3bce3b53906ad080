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

const customer = (number: string): Row => {
  const row = h.fakes.bc
    .table('customers')
    .all()
    .find((r) => r.number === number);
  if (!row) throw new Error(`no customer ${number} in the fake BC`);
  return row;
};
const account = (name: string): Row => {
  const row = h.fakes.dv
    .table('accounts')
    .all()
    .find((r) => r.name === name && r._bcbi_companyid_value === h.fakes.bc.companyId);
  if (!row) throw new Error(`no account ${name} in the fake Dataverse`);
  return row;
};
const couplingsNow = async () =>
  (
    await h.db.db
      .collection('couplings')
      .find({}, { projection: { _id: 0 } })
      .toArray()
  ).sort((a, b) => String(a['bcId']).localeCompare(String(b['bcId'])));

describe('Undo over the HTTP connectors (loopback Business Central and Dataverse)', () => {
  it('undo of an approved match leaves the couplings exactly as before the match', async () => {
    await h.ask('couple customer 50000 to account "Relecloud"', ADA);
    const before = await couplingsNow();
    const criteria = await h.ask('match customers', ADA);
    const run = await h.click(button(criteria.card, 'Run'), {}, ADA);
    await h.settle();
    const approved = await h.click(button(run.body?.value, 'Approve all'), {}, ADA);
    await h.settle();
    const text = cardText(approved.body?.value);
    expect(text).toMatch(/: 3 coupled, 0 failed\. A manager can reverse it within 7 days: undo job /);
    expect((await couplingsNow()).length).toBe(before.length + 3);
    const jobId = /undo job ([0-9a-f-]{36})/.exec(text)?.[1];

    expect((await h.ask(`undo job ${jobId}`, BEN)).text).toMatch(
      /Only Ada Manager or a manager can undo job .*Nothing was changed/,
    );
    expect((await couplingsNow()).length).toBe(before.length + 3);
    const undone = await h.ask(`undo job ${jobId}`, ADA);
    expect(undone.text).toMatch(/Undo: Coupling of CUSTOMER[\s\S]*3 changes undone\./);
    expect(await couplingsNow()).toEqual(before);
  });

  it('undo of a synchronization restores what it wrote, but not a field changed since, which it lists', async () => {
    const setUp = await h.say('couple customer 10000', ADA);
    await h.click(button(setUp[0]?.attachments?.[0]?.content, 'Couple'), {}, ADA);
    const email = account('Adatum Corporation').emailaddress1;
    h.fakes.bc
      .table('customers')
      .update(String(customer('10000').id), { phoneNumber: '+1 425 555 0199', email: 'new@adatum.com' });
    const asked = await h.ask('sync customer 10000', BEN);
    const done = await h.click(button(asked.card, 'Synchronize'), { direction: 'ToIntegrationTable' }, BEN);
    await h.settle();
    expect(account('Adatum Corporation').emailaddress1).toBe('new@adatum.com');
    h.fakes.dv.table('accounts').update(String(account('Adatum Corporation').accountid), {
      telephone1: '+1 425 555 0000',
    });
    const undone = await h.click(button(done.body?.value, 'Undo'), {}, BEN);
    const text = cardText(undone.body?.value);
    expect(text).toMatch(/restored .*emailaddress1 = robert\.townes@adatum\.com/);
    expect(text).toMatch(/not restored, changed since the job: telephone1 \(now \+1 425 555 0000\)/);
    expect(account('Adatum Corporation').emailaddress1).toBe(email);
    expect(account('Adatum Corporation').telephone1).toBe('+1 425 555 0000');

    const again = await h.click(button(done.body?.value, 'Undo'), {}, BEN);
    expect(cardText(again.body?.value)).toMatch(/already undone by Ben User at .*; nothing was changed/);
  });

  it('undo of an import deletes the rows it inserted, and only a manager may', async () => {
    const before = h.fakes.dv.table('accounts').all().length;
    const csv = 'name,address1_city\nNorthwind Traders,Seattle\nTailspin Toys,Denver\n';
    const sent = await h.sayWith(
      'import accounts',
      [{ contentType: 'text/csv', name: 'a.csv', content: csv }],
      ADA,
    );
    expect(sent).toMatch(
      /2 rows inserted, 0 rejected\. A manager can delete them again within 7 days: undo job /,
    );
    expect(h.fakes.dv.table('accounts').all().length).toBe(before + 2);
    const jobId = /undo job ([0-9a-f-]{36})/.exec(sent)?.[1];
    expect((await h.ask(`undo job ${jobId}`, BEN)).text).toMatch(
      /Only Ada Manager or a manager can undo job/,
    );
    const undone = await h.ask(`undo job ${jobId}`, ADA);
    expect(undone.text).toMatch(/Undo: Import of CUSTOMER[\s\S]*2 changes undone\./);
    expect(h.fakes.dv.table('accounts').all().length).toBe(before);
  });

  it('undo of Create New deletes the account it created in Dataverse', async () => {
    const setUp = await h.ask('couple customer 40000', BEN);
    const created = await h.click(button(setUp.card, 'Create New'), { syncAfterCoupling: 'No' }, BEN);
    const coupling = await h.db.db.collection('couplings').findOne({ bcNumber: '40000' });
    const dvId = String(coupling?.['dvId']);
    expect(
      h.fakes.dv
        .table('accounts')
        .all()
        .some((r) => r.accountid === dvId),
    ).toBe(true);
    const undone = await h.click(button(created.body?.value, 'Undo'), {}, BEN);
    expect(cardText(undone.body?.value)).toMatch(/deleted\./);
    expect(
      h.fakes.dv
        .table('accounts')
        .all()
        .some((r) => r.accountid === dvId),
    ).toBe(false);
    expect(await couplingsNow()).toEqual([]);
  });
  it('a Dataverse refusal mid-undo leaves the job partly undone; undoing again restores the rest', async () => {
    const setUp = await h.say('couple customer 10000', ADA);
    await h.click(button(setUp[0]?.attachments?.[0]?.content, 'Couple'), {}, ADA);
    const { telephone1, emailaddress1 } = account('Adatum Corporation');
    h.fakes.bc
      .table('customers')
      .update(String(customer('10000').id), { phoneNumber: '+1 425 555 0199', email: 'new@adatum.com' });
    const asked = await h.ask('sync customer 10000', BEN);
    const done = await h.click(button(asked.card, 'Synchronize'), { direction: 'ToIntegrationTable' }, BEN);
    await h.settle();
    expect(account('Adatum Corporation').telephone1).toBe('+1 425 555 0199');

    h.fakes.dv.failNext(
      { kind: 'status', status: 400, body: { error: { code: '0x80040265', message: 'Record is locked' } } },
      (r) => r.method === 'PATCH' && r.path.includes('accounts'),
    );
    const first = cardText((await h.click(button(done.body?.value, 'Undo'), {}, BEN)).body?.value);
    expect(first).toMatch(
      /0 changes undone, 1 could not be undone\. Undo job .* again to retry the 1 that failed\./,
    );
    expect(first).toMatch(
      /Not undone:\n• account .* in Dataverse \(Customer 10000\): not undone, .*Record is locked/,
    );
    expect(account('Adatum Corporation').telephone1).toBe('+1 425 555 0199');
    expect((await h.ask('status customer', BEN)).text).toMatch(
      /Synchronization[\s\S]*· partly undone by Ben User; undo it again for the rest/,
    );

    const again = cardText((await h.click(button(done.body?.value, 'Undo'), {}, BEN)).body?.value);
    expect(again).toMatch(/1 change undone\./);
    expect(again).toMatch(/restored .*telephone1 = \(425\) 555-0100/);
    expect(account('Adatum Corporation').telephone1).toBe(telephone1);
    expect(account('Adatum Corporation').emailaddress1).toBe(emailaddress1);
    const status = (await h.ask('status customer', BEN)).text;
    expect(status).toMatch(/· undone by Ben User/);
    expect(status).not.toMatch(/partly undone/);
    const third = cardText((await h.click(button(done.body?.value, 'Undo'), {}, BEN)).body?.value);
    expect(third).toMatch(/already undone by Ben User at .*; nothing was changed/);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CouplingRepository } from '../../../core/coupling/coupling-repository.js';
import { button, cardText } from '../../support/bot-harness.js';
import type { Row } from '../../kit/loopback/fake-store.js';
import { ADA, BEN } from '../../bot/teams-activity.js';
import { startHttpBot, type HttpBot } from './http-bot.js';
import { IDS } from './seed-fakes.js';

/**
 * Issue 12's "Done when", over the HTTP connectors against loopback servers that answer as Business
 * Central API v2.0 and the Dataverse Web API do: look-ups resolved as Business Central resolves them.
 */
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
  if (!row) throw new Error(`no customer ${number}`);
  return row;
};
const accounts = (name: string): Row[] =>
  h.fakes.dv
    .table('accounts')
    .all()
    .filter((r) => r.name === name);
const account = (name: string): Row => {
  const row = accounts(name).find((r) => r._bcbi_companyid_value === h.fakes.bc.companyId);
  if (!row) throw new Error(`no account ${name}`);
  return row;
};
const editBc = (number: string, changes: Row) =>
  h.fakes.bc.table('customers').update(String(customer(number).id), changes);
const contactRows = () => h.fakes.dv.table('contacts').all();

/** Set Up Coupling for a BC record, then Create New on its card; the text of the card that replaces it. */
async function createNew(entity: string, number: string): Promise<string> {
  const asked = await h.ask(`couple ${entity} ${number}`, ADA);
  const done = await h.click(button(asked.card, 'Create New'), {}, ADA);
  await h.settle();
  return cardText(done.body?.value);
}

describe('currencies by ISO code, with no currency couplings', () => {
  it('couple to "Adatum Corporation", an edit in BC, sync: the account gets the base currency, no conflict', async () => {
    // BC's API shows the local currency (USD) where Adatum's Currency Code is blank.
    expect(customer('10000').currencyCode).toBe('');
    const coupled = await h.ask('couple customer 10000 to account "Adatum Corporation"', ADA);
    expect(coupled.text).toMatch(/^Coupled/);
    editBc('10000', { phoneNumber: '+1 425 555 0166' });

    const asked = await h.ask('sync customer 10000', BEN);
    // No update conflict: nothing is "changed on both sides", no side has to be chosen.
    expect(asked.text).not.toMatch(/Changed on both sides|choose which side wins|Currency Code/);
    expect(asked.text).toMatch(/Merge data/);
    const done = await h.click(button(asked.card, 'Synchronize'), { direction: 'Bidirectional' }, BEN);
    await h.settle();
    const text = cardText(done.body?.value);
    expect(text).toContain('Modified 1');
    expect(text).not.toMatch(/Failed 1|Skipped 1|Currency \S+ is not coupled|changed .*both/);
    expect(account('Adatum Corporation')).toMatchObject({
      telephone1: '+1 425 555 0166',
      _transactioncurrencyid_value: IDS.usd,
    });
    const errors = await h.ask('errors customers', BEN);
    expect(errors.text).not.toContain('10000');
    // Nothing changed since: a second run finds it in step, "USD" and the base currency being the same.
    const again = await h.ask('sync customers modified', BEN);
    await h.settle();
    expect(again.text).not.toMatch(/Failed [1-9]|Skipped [1-9]/);
    expect((await h.ask('status customers', BEN)).text).toMatch(
      /Modified 0 · Deleted 0 · Unchanged \d+ · Skipped 0 · Failed 0/,
    );
  });

  it('Create New for a EUR customer whose salesperson is coupled: the account has EUR and that owner', async () => {
    editBc('20000', { currencyCode: 'EUR', salespersonCode: 'JO' });
    const jo = await h.ask('couple salesperson JO to systemuser "Jim Olive"', ADA);
    expect(jo.text).toMatch(/^Coupled/);
    const before = accounts('Trey Research').length;

    const text = await createNew('customer', '20000');
    expect(text).toMatch(/^Coupled[\s\S]*Trey Research/);
    const created = accounts('Trey Research');
    expect(created).toHaveLength(before + 1);
    expect(created.at(-1)).toMatchObject({
      _transactioncurrencyid_value: IDS.eur,
      _ownerid_value: IDS.jimOlive,
      _bcbi_companyid_value: h.fakes.bc.companyId,
      accountnumber: '20000',
    });
  });

  it('salespeople couple only to enabled, licensed, interactive people: not the integration or application user', async () => {
    for (const name of ['Business Central Integration', 'Coupling Assistant']) {
      const refused = await h.ask(`couple salesperson PS to systemuser "${name}"`, ADA);
      expect(refused.text).toMatch(
        /table mapping SALESPEOPLE are preventing it[\s\S]*Integration Table Filter/,
      );
    }
    const request = h.fakes.dv.requests.find(
      (r) => r.path.endsWith('/systemusers') && r.query.get('$select'),
    );
    expect(request?.query.get('$select')?.split(',')).toEqual(
      expect.arrayContaining(['isdisabled', 'islicensed', 'isintegrationuser', 'accessmode']),
    );
  });

  it('a salesperson that is not coupled leaves the owner as it is and says so; the account is still created', async () => {
    // PS (Peter Saddow) has no Dataverse user coupled.
    const text = await createNew('customer', '40000');
    expect(text).toMatch(/^Coupled/);
    expect(text).toContain('Salesperson PS is not coupled to a Dataverse user');
    const created = accounts('Alpine Ski House').find((r) => r.accountnumber === '40000');
    expect(created?._ownerid_value ?? null).toBeNull();
  });

  it('an unknown currency creates nothing and says which', async () => {
    editBc('30000', { currencyCode: 'XYZ' });
    const before = await h.snapshot();
    const text = await createNew('customer', '30000');
    expect(text).toContain('Dataverse has no currency XYZ: add it in Dataverse, or synchronize currencies');
    expect(text).toContain('Nothing was changed');
    expect(await h.snapshot()).toEqual(before);
  });
});

describe("a contact's parent account", () => {
  it('Create New names the customer to couple first and creates nothing; once coupled, it links the parent', async () => {
    const before = contactRows().length;
    const refused = await createNew('contact', 'CT201');
    expect(refused).toContain('couple customer 20000 Trey Research first');
    expect(contactRows()).toHaveLength(before);

    const trey = String(accounts('trey research')[0]?.accountid);
    expect((await h.ask(`couple customer 20000 to account ${trey}`, ADA)).text).toMatch(/^Coupled/);
    const created = await createNew('contact', 'CT201');
    expect(created).toMatch(/^Coupled/);
    expect(contactRows()).toHaveLength(before + 1);
    expect(contactRows().at(-1)).toMatchObject({
      emailaddress1: 'helen@example.com',
      _parentcustomerid_value: trey,
      _bcbi_companyid_value: h.fakes.bc.companyId,
    });
  });

  it('coupling with synchronization is refused the same way while the customer is not coupled', async () => {
    const [row] = h.fakes.dv.seed('contacts', [
      {
        firstname: 'Helen',
        lastname: 'Ray',
        fullname: 'Helen Ray',
        emailaddress1: 'helen@example.com',
        statecode: 0,
        _parentcustomerid_value: accounts('trey research')[0]?.accountid,
        _bcbi_companyid_value: h.fakes.bc.companyId,
      },
    ]);
    const asked = await h.ask('couple contact CT201', ADA);
    const pick = button(asked.card, 'Couple');
    expect(pick.data['dvId']).toBe(row?.contactid);
    const done = await h.click(pick, { syncAfterCoupling: 'Yes - Use the Business Central data' }, ADA);
    await h.settle();
    expect(cardText(done.body?.value)).toContain('couple customer 20000 Trey Research first');
    expect(await h.db.db.collection('couplings').countDocuments({ mapping: 'CONTACT' })).toBe(0);
    // Without synchronization it couples: nothing needs the parent yet.
    const plain = await h.click(pick, { syncAfterCoupling: 'No' }, ADA);
    expect(cardText(plain.body?.value)).toMatch(/^Coupled/);
  });

  it('a run waits for the customer: the contact is marked waiting, retried next run without a new error', async () => {
    expect((await h.ask('mapping contacts sync-only-coupled off', ADA)).text).not.toMatch(
      /refused|only managers/i,
    );
    await h.ask('sync contacts modified', BEN);
    await h.settle();
    const waiting = await h.ask('errors contacts', BEN);
    expect(waiting.text).toMatch(/CT101[\s\S]*Waiting for CUSTOMER/);
    expect(waiting.text).toMatch(/CT201[\s\S]*Waiting for CUSTOMER/);
    expect(waiting.text).toContain('couple customer 10000 Adatum Corporation first');
    const open = () => h.db.db.collection('syncErrors').countDocuments({ mapping: 'CONTACT' });
    expect(await open()).toBe(2);

    expect((await h.ask('couple customer 10000 to account "Adatum Corporation"', ADA)).text).toMatch(
      /^Coupled/,
    );
    await h.ask('sync contacts modified', BEN);
    await h.settle();
    // Robert (Adatum) went through although nothing about him changed; Helen still waits, same error row.
    const robert = contactRows().find((r) => r.emailaddress1 === 'robert@example.com');
    expect(robert?._parentcustomerid_value).toBe(account('Adatum Corporation').accountid);
    const after = await h.ask('errors contacts', BEN);
    expect(after.text).not.toContain('CT101');
    expect(after.text).toMatch(/CT201[\s\S]*Waiting for CUSTOMER \(retried by every run\) · seen 2 times/);
    expect(await open()).toBe(2);
  });
});

describe('Create New is idempotent', () => {
  it('a crash between the POST and saving the coupling leaves exactly one Dataverse row; the retry couples it', async () => {
    const died = vi
      .spyOn(CouplingRepository.prototype, 'insert')
      .mockRejectedValueOnce(new Error('the process died'));
    const before = accounts('Relecloud').length;
    const asked = await h.ask('couple customer 50000', ADA);
    const crashed = await h.click(button(asked.card, 'Create New'), {}, ADA);
    expect(JSON.stringify(crashed.body ?? {})).toMatch(/Reference/);
    expect(accounts('Relecloud')).toHaveLength(before + 1);
    died.mockRestore();

    const retried = await createNew('customer', '50000');
    expect(retried).toMatch(/^Coupled[\s\S]*Relecloud/);
    expect(accounts('Relecloud')).toHaveLength(before + 1);
    const shown = await h.ask('show customer 50000');
    expect(shown.text).toMatch(/Coupled to account Relecloud/);
  });
});

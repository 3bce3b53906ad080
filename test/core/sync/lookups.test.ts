import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FieldMapping } from '../../../core/model/mapping.js';
import type { Coupling } from '../../../core/model/coupling.js';
import type { BusinessCentralPort } from '../../../core/ports/business-central.js';
import type { DataversePort } from '../../../core/ports/dataverse.js';
import { REFERENCE_COLLECTIONS } from '../../../connectors/sandbox/reference-data.js';
import { LookupValues } from '../../../core/sync/lookups.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';
import { MANAGER, USER, world, type World } from './world.js';

let t: TestDb;
beforeAll(async () => {
  t = await useTestDb();
});
afterAll(async () => t.cleanup());

const nonZero = (c: Record<string, number>) => Object.fromEntries(Object.entries(c).filter(([, v]) => v > 0));

/** Dataverse's currencies (USD the base) and BC's local currency USD, as a real pair of systems has them. */
async function currencies(w: World): Promise<{ usd: string; eur: string }> {
  const usd = (
    await w.sandbox.dv.create('transactioncurrency', { isocurrencycode: 'USD', currencyname: 'US' })
  ).id;
  const eur = (
    await w.sandbox.dv.create('transactioncurrency', { isocurrencycode: 'EUR', currencyname: 'Euro' })
  ).id;
  await t.db
    .collection(REFERENCE_COLLECTIONS.companyInformation)
    .insertOne({ _id: 'company', currencyCode: 'USD' } as never);
  await t.db
    .collection(REFERENCE_COLLECTIONS.organization)
    .insertOne({ _id: 'organization', basecurrencyid: usd } as never);
  return { usd, eur };
}

function coupling(mapping: string, bcId: string, bcNumber: string, dvId: string, w: World): Coupling {
  return {
    mapping,
    bcId,
    bcNumber,
    dvId,
    lastSyncedBcModifiedOn: null,
    lastSyncedDvModifiedOn: null,
    lastSyncResultBc: null,
    lastSyncResultDv: null,
    lastJobId: null,
    skipped: false,
    coupledAt: w.clock.now(),
    coupledBy: 'test',
    origin: 'manual',
  };
}

/** Counts the reads a run makes of the reference data. */
function counting(calls: Record<string, number>) {
  const wrap = <T extends object>(port: T, names: string[]): T =>
    new Proxy(port, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => {
          if (names.includes(String(prop))) calls[String(prop)] = (calls[String(prop)] ?? 0) + 1;
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  return ({ bc, dv }: { bc: BusinessCentralPort; dv: DataversePort }) => ({
    bc: wrap(bc, ['localCurrencyCode']),
    dv: wrap(dv, ['baseCurrencyId', 'findByField']),
  });
}

describe('Currency Code → transactioncurrencyid by ISO code, as Business Central resolves it', () => {
  it('writes blank and the LCY code as the base currency and EUR as the EUR row, with no coupling at all', async () => {
    const w = await world(t.db);
    const { usd, eur } = await currencies(w);
    const blank = await w.coupledPair('10000', { 'Currency Code': '' });
    const lcy = await w.coupledPair('20000', { 'Currency Code': 'USD' });
    const euro = await w.coupledPair('30000', { 'Currency Code': 'EUR' });
    for (const p of [blank, lcy, euro]) await w.editBc(p.bc.id, { City: 'Bergen' });

    const r = await w.sync.synchronizeModified(USER, 'CUSTOMER');
    expect(nonZero(r.job.counters)).toEqual({ modified: 3 });
    expect((await w.dvNow(blank.dv.id))?.['transactioncurrencyid']).toBe(usd);
    expect((await w.dvNow(lcy.dv.id))?.['transactioncurrencyid']).toBe(usd);
    expect((await w.dvNow(euro.dv.id))?.['transactioncurrencyid']).toBe(eur);
    expect(await w.couplings.getByBcNumber('CURRENCY', 'EUR')).toBeNull();

    // BC's API shows "USD" where the table holds a blank: the same currency, no change, no conflict.
    await w.editBc(blank.bc.id, { 'Currency Code': 'USD' });
    const again = await w.sync.synchronizeModified(USER, 'CUSTOMER');
    expect(nonZero(again.job.counters)).toEqual({ unchanged: 1 });
  });

  it('fails the record whose currency Dataverse lacks, naming the currency and the fix, and writes nothing to it', async () => {
    const w = await world(t.db);
    await currencies(w);
    const a = await w.coupledPair('10000');
    const b = await w.coupledPair('20000');
    await w.editBc(a.bc.id, { 'Currency Code': 'XYZ', City: 'Toronto' });
    await w.editBc(b.bc.id, { City: 'Bergen' });
    const before = await w.dvNow(a.dv.id);

    const r = await w.sync.synchronizeModified(USER, 'CUSTOMER');
    expect(nonZero(r.job.counters)).toEqual({ modified: 1, failed: 1 });
    expect(r.records.find((x) => x.bcNumber === '10000')?.message).toMatch(
      /^Dataverse has no currency XYZ: add it in Dataverse, or synchronize currencies/,
    );
    expect(await w.dvNow(a.dv.id)).toEqual(before);
    expect((await w.dvNow(b.dv.id))?.['address1_city']).toBe('Bergen');
  });

  it('reads the LCY code and the base currency once per run and each code once, not per record', async () => {
    const calls: Record<string, number> = {};
    const w = await world(t.db, { batchSize: 2, wrap: counting(calls) });
    await currencies(w);
    for (let i = 1; i <= 6; i++) {
      const p = await w.coupledPair(String(10000 + i), { 'Currency Code': i % 2 ? 'EUR' : '' });
      await w.editBc(p.bc.id, { City: `City ${i}` });
    }
    const r = await w.sync.synchronizeModified(USER, 'CUSTOMER');
    expect(nonZero(r.job.counters)).toEqual({ modified: 6 });
    expect(calls).toEqual({ localCurrencyCode: 1, baseCurrencyId: 1, findByField: 1 });
  });

  it('maps the base currency back to blank where a user sends currencies to Business Central', async () => {
    const w = await world(t.db);
    const { usd, eur } = await currencies(w);
    const fm: FieldMapping = {
      ...(await w.mappings.get('CUSTOMER')).fields.find((f) => f.bcField === 'Currency Code')!,
      direction: 'Bidirectional',
    };
    const lookups = new LookupValues(w.deps);
    await lookups.prepare([fm], { dv: [{ transactioncurrencyid: usd }, { transactioncurrencyid: eur }] });
    expect(lookups.translate(fm, 'FromIntegrationTable', usd)).toEqual({ ok: true, value: '' });
    expect(lookups.translate(fm, 'FromIntegrationTable', eur)).toEqual({ ok: true, value: 'EUR' });
  });

  it('translates records it creates (Synch. Only Coupled Records off) and restores (Restore Records)', async () => {
    const w = await world(t.db);
    const { eur } = await currencies(w);
    await w.mappings.setSyncOnlyCoupled(MANAGER, 'CUSTOMER', false);
    await w.mappings.setConflictResolution(MANAGER, 'CUSTOMER', { deletion: 'Restore Records' });
    const bc = await w.sandbox.bc.create('Customer', {
      'No.': '70000',
      Name: 'Euro Customer',
      'Currency Code': 'EUR',
      Blocked: '',
    });
    const p = await w.coupledPair('10000', { 'Currency Code': 'EUR' }, { transactioncurrencyid: eur });
    await w.sandbox.dv.delete('account', p.dv.id);

    const r = await w.sync.synchronizeAll(MANAGER, 'CUSTOMER');
    expect(nonZero(r.job.counters)).toEqual({ inserted: 2, coupled: 2 });
    for (const id of [bc.id, p.bc.id]) {
      const c = await w.couplings.getByBcId('CUSTOMER', id);
      expect((await w.dvNow(c?.dvId ?? ''))?.['transactioncurrencyid']).toBe(eur);
    }
  });
});

describe('Salesperson Code → ownerid through SALESPEOPLE couplings', () => {
  it('sets the owner of a coupled salesperson; an uncoupled one leaves the owner as it is, with a note', async () => {
    const w = await world(t.db);
    const jim = await w.sandbox.dv.create('systemuser', { firstname: 'Jim', lastname: 'Olive' });
    const annie = await w.sandbox.dv.create('systemuser', { firstname: 'Annie', lastname: 'Jones' });
    const jo = await w.sandbox.bc.create('Salesperson/Purchaser', { Code: 'JO', Name: 'Jim Olive' });
    await w.couplings.insert(coupling('SALESPEOPLE', jo.id, 'JO', jim.id, w));
    const a = await w.coupledPair('10000', {}, { ownerid: annie.id });
    const b = await w.coupledPair('20000', {}, { ownerid: annie.id });
    await w.editBc(a.bc.id, { 'Salesperson Code': 'JO' });
    await w.editBc(b.bc.id, { 'Salesperson Code': 'PS', City: 'Bergen' });

    const r = await w.sync.synchronizeModified(USER, 'CUSTOMER');
    expect(nonZero(r.job.counters)).toEqual({ modified: 2 });
    expect((await w.dvNow(a.dv.id))?.['ownerid']).toBe(jim.id);
    expect((await w.dvNow(b.dv.id))?.['ownerid']).toBe(annie.id);
    expect(r.records.find((x) => x.bcNumber === '20000')?.message).toBe(
      'Salesperson PS is not coupled to a Dataverse user (mapping SALESPEOPLE), so Owner was left as it is: ' +
        'couple salesperson PS to set it.',
    );
  });
});

describe('Primary Contact No. ↔ primarycontactid through CONTACT couplings', () => {
  it('crosses as the coupled contact both ways', async () => {
    const w = await world(t.db);
    const bcContact = await w.sandbox.bc.create('Contact', {
      'No.': 'CT101',
      Name: 'Robert',
      Type: 'Person',
    });
    const dvContact = await w.sandbox.dv.create('contact', { firstname: 'Robert', lastname: 'Townes' });
    await w.couplings.insert(coupling('CONTACT', bcContact.id, 'CT101', dvContact.id, w));
    const a = await w.coupledPair('10000');
    await w.editBc(a.bc.id, { 'Primary Contact No.': 'CT101' });
    await w.sync.synchronizeModified(USER, 'CUSTOMER');
    expect((await w.dvNow(a.dv.id))?.['primarycontactid']).toBe(dvContact.id);

    w.clock.advanceMinutes(5);
    await w.editDv(a.dv.id, { primarycontactid: null });
    await w.sync.synchronizeModified(USER, 'CUSTOMER');
    expect((await w.bcNow(a.bc.id))?.['Primary Contact No.']).toBe('');
  });
});

describe("a contact's company ↔ parentcustomerid", () => {
  /** Company contact CT200 stands for customer 20000 (a Contact Business Relation); CT201 works there. */
  async function treyResearch(w: World) {
    await w.mappings.setSyncOnlyCoupled(MANAGER, 'CONTACT', false);
    const customer = await w.sandbox.bc.create('Customer', {
      'No.': '20000',
      Name: 'Trey Research',
      Blocked: '',
    });
    await w.sandbox.bc.create('Contact', {
      'No.': 'CT200',
      Name: 'Trey Research',
      Type: 'Company',
      'Company No.': 'CT200',
    });
    const person = await w.sandbox.bc.create('Contact', {
      'No.': 'CT201',
      Name: 'Helen Ray',
      Type: 'Person',
      'Company No.': 'CT200',
      'E-Mail': 'helen.ray@treyresearch.net',
    });
    await t.db
      .collection(REFERENCE_COLLECTIONS.businessRelations)
      .insertOne({ _id: 'CT200', contactNo: 'CT200', linkToTable: 'Customer', no: '20000' } as never);
    return { customer, person };
  }

  it('waits for the customer to be coupled, retries every run without a new error, then links the parent account', async () => {
    const w = await world(t.db);
    const { customer, person } = await treyResearch(w);

    const first = await w.sync.synchronizeModified(USER, 'CONTACT');
    expect(nonZero(first.job.counters)).toEqual({ failed: 1 });
    expect(first.records[0]).toMatchObject({
      bcNumber: 'CT201',
      waitingFor: 'CUSTOMER',
      message: expect.stringContaining('couple customer 20000 Trey Research first'),
    });
    const [open] = await w.errors.listOpen({ mapping: 'CONTACT' });
    expect(open).toMatchObject({ waitingFor: 'CUSTOMER', occurrences: 1 });

    // Nothing changed in BC: the next run still tries it, and refreshes the same error.
    w.clock.advanceMinutes(5);
    const second = await w.sync.synchronizeModified(USER, 'CONTACT');
    expect(nonZero(second.job.counters)).toEqual({ failed: 1 });
    expect(await w.errors.listOpen({ mapping: 'CONTACT' })).toEqual([
      expect.objectContaining({ id: open?.id, occurrences: 2 }),
    ]);

    const account = await w.sandbox.dv.create('account', { ...w.account, name: 'Trey Research' });
    await w.couplings.insert(coupling('CUSTOMER', customer.id, '20000', account.id, w));
    w.clock.advanceMinutes(5);
    const third = await w.sync.synchronizeModified(USER, 'CONTACT');
    expect(nonZero(third.job.counters)).toEqual({ inserted: 1, coupled: 1 });
    const c = await w.couplings.getByBcId('CONTACT', person.id);
    expect((await w.sandbox.dv.get('contact', c?.dvId ?? ''))?.fields.parentcustomerid).toBe(account.id);
    expect(await w.errors.listOpen({ mapping: 'CONTACT' })).toEqual([]);
  });

  it('maps a parent account back to the company contact of its customer', async () => {
    const w = await world(t.db);
    const { customer } = await treyResearch(w);
    const account = await w.sandbox.dv.create('account', { ...w.account, name: 'Trey Research' });
    await w.couplings.insert(coupling('CUSTOMER', customer.id, '20000', account.id, w));
    const fm = (await w.mappings.get('CONTACT')).fields.find((f) => f.dvField === 'parentcustomerid')!;
    const lookups = new LookupValues(w.deps);
    await lookups.prepare([fm], { dv: [{ parentcustomerid: account.id }] });
    expect(lookups.translate(fm, 'FromIntegrationTable', account.id)).toEqual({ ok: true, value: 'CT200' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coupling } from '../../../core/model/coupling.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';
import { MANAGER, USER, world, type World } from './world.js';

let t: TestDb;
beforeAll(async () => {
  t = await useTestDb();
});
afterAll(async () => t.cleanup());

const nonZero = (c: Record<string, number>) => Object.fromEntries(Object.entries(c).filter(([, v]) => v > 0));

/** A Dataverse currency row; with `coupled`, also the BC currency and their CURRENCY coupling. */
async function currency(w: World, iso: string, coupled = true): Promise<string> {
  const row = await w.sandbox.dv.create('transactioncurrency', { isocurrencycode: iso, currencyname: iso });
  if (!coupled) return row.id;
  const bc = await w.sandbox.bc.create('Currency', { Code: iso, Description: iso });
  const coupling: Coupling = {
    mapping: 'CURRENCY',
    bcId: bc.id,
    bcNumber: iso,
    dvId: row.id,
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
  await w.couplings.insert(coupling);
  return row.id;
}

describe('Currency Code ↔ transactioncurrencyid through the CURRENCY couplings', () => {
  it('crosses to Dataverse as the coupled row id and back as the code; a full run then finds it Unchanged', async () => {
    const w = await world(t.db);
    const eur = await currency(w, 'EUR');
    const gbp = await currency(w, 'GBP');
    const a = await w.coupledPair('10000');

    await w.editBc(a.bc.id, { 'Currency Code': 'EUR' });
    const sent = await w.sync.synchronizeModified(USER, 'CUSTOMER');
    expect(nonZero(sent.job.counters)).toEqual({ modified: 1 });
    expect(sent.records[0]?.changes).toContainEqual(
      expect.objectContaining({ dvField: 'transactioncurrencyid', side: 'dv', new: eur }),
    );
    expect((await w.dvNow(a.dv.id))?.['transactioncurrencyid']).toBe(eur);

    w.clock.advance(5);
    await w.editDv(a.dv.id, { transactioncurrencyid: gbp });
    const got = await w.sync.synchronizeModified(USER, 'CUSTOMER');
    expect(nonZero(got.job.counters)).toEqual({ modified: 1 });
    expect((await w.bcNow(a.bc.id))?.['Currency Code']).toBe('GBP');

    // "GBP" and the GBP row's id are the same value: nothing differs, nothing is written.
    const full = await w.sync.synchronizeAll(MANAGER, 'CUSTOMER');
    expect(nonZero(full.job.counters)).toEqual({ unchanged: 1 });
  });

  it('fails only the record whose currency is not coupled, naming the field and the command', async () => {
    const w = await world(t.db);
    await currency(w, 'CAD', false);
    const a = await w.coupledPair('10000');
    const b = await w.coupledPair('20000');
    await w.editBc(a.bc.id, { 'Currency Code': 'CAD', City: 'Toronto' });
    await w.editBc(b.bc.id, { City: 'Bergen' });
    const before = await w.dvNow(a.dv.id);

    const r = await w.sync.synchronizeModified(USER, 'CUSTOMER');
    expect(nonZero(r.job.counters)).toEqual({ modified: 1, failed: 1 });
    expect(r.records.find((x) => x.bcNumber === '10000')?.message).toBe(
      'Currency Code CAD cannot be written to transactioncurrencyid: Currency CAD is not coupled to a ' +
        'Dataverse currency; couple it first: couple currency CAD.',
    );
    expect(await w.dvNow(a.dv.id)).toEqual(before);
    expect((await w.dvNow(b.dv.id))?.['address1_city']).toBe('Bergen');
  });

  it('names an uncoupled Dataverse currency by its ISO code on the way back', async () => {
    const w = await world(t.db);
    const usd = await currency(w, 'USD', false);
    const a = await w.coupledPair('10000');
    await w.editDv(a.dv.id, { transactioncurrencyid: usd });
    const r = await w.sync.synchronizeModified(USER, 'CUSTOMER');
    expect(r.records[0]?.message).toBe(
      `transactioncurrencyid cannot be written to Currency Code: the Dataverse currency USD (${usd}) is not ` +
        'coupled to a Business Central currency; couple it first: couple currency USD.',
    );
    expect((await w.bcNow(a.bc.id))?.['Currency Code']).toBeUndefined();
  });

  it('both sides changing to the same currency is not a conflict', async () => {
    const w = await world(t.db);
    const eur = await currency(w, 'EUR');
    const a = await w.coupledPair('10000');
    await w.editBc(a.bc.id, { 'Currency Code': 'EUR' });
    await w.editDv(a.dv.id, { transactioncurrencyid: eur });
    const choice = await w.sync.recommend('CUSTOMER', [a.bc.id]);
    expect(choice.records[0]?.recommendation?.conflictFields).toEqual([]);
    const r = await w.sync.synchronizeModified(USER, 'CUSTOMER');
    expect(nonZero(r.job.counters)).toEqual({ unchanged: 1 });
  });

  it('translates records it creates (Synch. Only Coupled Records off) and restores (Restore Records)', async () => {
    const w = await world(t.db);
    const eur = await currency(w, 'EUR');
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
      const coupling = await w.couplings.getByBcId('CUSTOMER', id);
      expect((await w.dvNow(coupling?.dvId ?? ''))?.['transactioncurrencyid']).toBe(eur);
    }
  });
});

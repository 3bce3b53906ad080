import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeletionConflictResolution } from '../../../core/model/mapping.js';
import type { BusinessCentralPort } from '../../../core/ports/business-central.js';
import type { DataversePort } from '../../../core/ports/dataverse.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';
import { MANAGER, USER, world } from './world.js';

let t: TestDb;
beforeAll(async () => {
  t = await useTestDb();
});
afterAll(async () => t.cleanup());

const nonZero = (c: Record<string, number>) => Object.fromEntries(Object.entries(c).filter(([, v]) => v > 0));

describe('Synchronize Modified Records', () => {
  it('synchronizes what changed on either side and does not echo its own writes on the next run', async () => {
    const w = await world(t.db);
    const a = await w.coupledPair('10000');
    const b = await w.coupledPair('20000');
    const c = await w.coupledPair('30000');
    await w.editBc(a.bc.id, { Name: 'Adatum Corporation' });
    await w.editDv(b.dv.id, { telephone1: '777' });

    const first = await w.sync.synchronizeModified(USER, 'CUSTOMER');
    expect(nonZero(first.job.counters)).toEqual({ modified: 2 });
    expect((await w.dvNow(a.dv.id))?.['name']).toBe('Adatum Corporation');
    expect((await w.bcNow(b.bc.id))?.['Phone No.']).toBe('777');

    w.clock.advanceMinutes(5);
    const second = await w.sync.synchronizeModified(USER, 'CUSTOMER');
    expect(nonZero(second.job.counters)).toEqual({});
    expect(second.job.message).toBe('Nothing to synchronize.');

    await w.editBc(c.bc.id, { City: 'Bergen' });
    const third = await w.sync.synchronizeModified(USER, 'CUSTOMER');
    expect(nonZero(third.job.counters)).toEqual({ modified: 1 });
    expect(third.records.map((r) => r.bcNumber)).toEqual(['30000']);
  });

  it('moves the mapping high-water marks forward, never past its own start', async () => {
    const w = await world(t.db);
    const a = await w.coupledPair('10000');
    w.clock.advanceMinutes(10);
    await w.editBc(a.bc.id, { Name: 'X' });
    w.clock.advanceMinutes(10);
    await w.sync.synchronizeModified(USER, 'CUSTOMER');
    const m = await w.mappings.get('CUSTOMER');
    expect(m.lastSyncedBcModifiedOn?.getTime()).toBeLessThanOrEqual(w.clock.now().getTime() - 60_000);
    expect(m.lastSyncedBcModifiedOn).not.toBeNull();
  });

  it('writes Business Central → Dataverse first, then Dataverse → Business Central', async () => {
    const calls: string[] = [];
    const w = await world(t.db, {
      wrap: ({ bc, dv }) => ({
        bc: spy(bc, () => calls.push('to BC')),
        dv: spy(dv, () => calls.push('to Dataverse')),
      }),
    });
    const a = await w.coupledPair('10000');
    const b = await w.coupledPair('20000');
    await w.editDv(a.dv.id, { telephone1: '777' });
    await w.editBc(b.bc.id, { Name: 'B' });
    await w.sync.synchronizeModified(USER, 'CUSTOMER');
    expect(calls).toEqual(['to Dataverse', 'to BC']);
  });
});

function spy<T extends BusinessCentralPort | DataversePort>(port: T, onUpdate: () => void): T {
  return new Proxy(port, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (prop !== 'updateMany' || typeof v !== 'function')
        return typeof v === 'function' ? v.bind(target) : v;
      return (...args: unknown[]) => {
        onUpdate();
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

describe('full synchronization', () => {
  it('examines every coupled record: changed ones Modified, the rest Unchanged', async () => {
    const w = await world(t.db);
    const a = await w.coupledPair('10000');
    await w.coupledPair('20000');
    await w.coupledPair('30000');
    await w.editDv(a.dv.id, { name: 'Renamed' });
    const r = await w.sync.synchronizeAll(MANAGER, 'CUSTOMER');
    expect(nonZero(r.job.counters)).toEqual({ modified: 1, unchanged: 2 });
    expect(r.records.map((x) => x.outcome)).toEqual(['Modified']);
    expect((await w.bcNow(a.bc.id))?.['Name']).toBe('Renamed');
  });
});

describe('Synch. Only Coupled Records off', () => {
  it('creates and couples new records on the other side; running again creates nothing more', async () => {
    const w = await world(t.db);
    await w.mappings.setSyncOnlyCoupled(MANAGER, 'CUSTOMER', false);
    await w.coupledPair('10000');
    const trey = await w.sandbox.bc.create('Customer', {
      'No.': '20000',
      Name: 'Trey Research',
      'Phone No.': '1',
      Blocked: '',
    });
    await w.sandbox.bc.create('Customer', { 'No.': '30000', Name: 'Blocked One', Blocked: 'All' });
    const fromDv = await w.sandbox.dv.create('account', { ...w.account, name: 'Relecloud', telephone1: '2' });
    await w.sandbox.dv.create('account', { ...w.account, customertypecode: 11, name: 'A vendor' });

    const first = await w.sync.synchronizeAll(MANAGER, 'CUSTOMER');
    expect(nonZero(first.job.counters)).toEqual({ inserted: 2, coupled: 2, unchanged: 1 });
    const treyCoupling = await w.couplings.getByBcId('CUSTOMER', trey.id);
    expect(await w.dvNow(treyCoupling?.dvId ?? '')).toMatchObject({
      name: 'Trey Research',
      accountnumber: '20000',
      customertypecode: 3,
      statecode: 0,
      bcbi_companyid: w.account.bcbi_companyid,
    });
    const relecloud = await w.couplings.getManyByDvIds('CUSTOMER', [fromDv.id]);
    expect(await w.bcNow(relecloud[0]?.bcId ?? '')).toMatchObject({
      Name: 'Relecloud',
      'Phone No.': '2',
      Blocked: '',
    });

    const again = await w.sync.synchronizeAll(MANAGER, 'CUSTOMER');
    expect(nonZero(again.job.counters)).toEqual({ unchanged: 3 });
    expect(await t.db.collection('dv.account').countDocuments()).toBe(4);
    expect(await t.db.collection('bc.customer').countDocuments()).toBe(4);
    const modified = await w.sync.synchronizeModified(USER, 'CUSTOMER');
    expect(modified.job.counters.inserted).toBe(0);
  });

  it('couples an existing uncoupled row with the same number instead of duplicating it, and reports a same-name row', async () => {
    const w = await world(t.db);
    await w.mappings.setSyncOnlyCoupled(MANAGER, 'CUSTOMER', false);
    const trey = await w.sandbox.bc.create('Customer', {
      'No.': '20000',
      Name: 'Trey Research',
      Blocked: '',
    });
    const orphan = await w.sandbox.dv.create('account', {
      ...w.account,
      name: 'Trey Research',
      accountnumber: '20000',
    });
    await w.sandbox.bc.create('Customer', { 'No.': '40000', Name: 'Alpine Ski House', Blocked: '' });
    const lookalike = await w.sandbox.dv.create('account', { ...w.account, name: 'Alpine Ski House' });
    await w.mappings.setDirection(MANAGER, 'CUSTOMER', 'ToIntegrationTable');

    const r = await w.sync.synchronizeModified(USER, 'CUSTOMER');
    expect(r.records.map((x) => [x.bcNumber, x.outcome]).sort()).toEqual([
      ['20000', 'Coupled'],
      ['40000', 'Failed'],
    ]);
    expect(r.records.find((x) => x.outcome === 'Failed')?.message).toContain(
      `Not created: account ${lookalike.id} in Dataverse already looks like this record`,
    );
    expect((await w.couplings.getByBcId('CUSTOMER', trey.id))?.dvId).toBe(orphan.id);
    expect(await t.db.collection('dv.account').countDocuments()).toBe(2);
  });
});

describe('deletion conflicts: the partner was deleted', () => {
  const cases: Array<[DeletionConflictResolution, 'bc' | 'dv', string]> = [
    ['None', 'dv', 'Failed'],
    ['None', 'bc', 'Failed'],
    ['Remove Coupling', 'dv', 'Uncoupled'],
    ['Remove Coupling', 'bc', 'Uncoupled'],
    ['Restore Records', 'dv', 'Inserted'],
    ['Restore Records', 'bc', 'Inserted'],
  ];

  it.each(cases)('Resolve Deletion Conflicts = %s, deleted in %s → %s', async (resolution, side, outcome) => {
    const w = await world(t.db);
    await w.mappings.setConflictResolution(MANAGER, 'CUSTOMER', { deletion: resolution });
    const p = await w.coupledPair('10000', { 'Phone No.': '555' }, { telephone1: '555' });
    await w.coupledPair('20000');
    if (side === 'dv') await w.sandbox.dv.delete('account', p.dv.id);
    else await w.sandbox.bc.delete('Customer', p.bc.id);

    const r = await w.sync.synchronizeAll(MANAGER, 'CUSTOMER');
    expect(r.records.map((x) => x.outcome)).toEqual([outcome]);
    const open = await w.errors.listOpen();
    const coupling = await w.couplings.getByBcId('CUSTOMER', p.bc.id);
    if (resolution === 'None') {
      expect(open.map((e) => [e.kind, e.missingSide])).toEqual([['deletion', side]]);
      expect(coupling).not.toBeNull();
      expect(r.records[0]?.message).toMatch(/Choose Restore Records, Delete Coupling or Delete Records/);
    } else if (resolution === 'Remove Coupling') {
      expect(open).toEqual([]);
      expect(coupling).toBeNull();
      expect(r.job.counters.uncoupled).toBe(1);
    } else {
      expect(open).toEqual([]);
      expect(r.job.counters).toMatchObject({ inserted: 1, coupled: 1, unchanged: 1 });
      const restored = r.records[0];
      const again = await w.couplings.getByBcId('CUSTOMER', restored?.bcId ?? '');
      expect(again?.dvId).toBe(restored?.dvId);
      if (side === 'dv')
        expect(await w.dvNow(again?.dvId ?? '')).toMatchObject({
          name: 'Customer 10000',
          telephone1: '555',
          customertypecode: 3,
        });
      else
        expect(await w.bcNow(again?.bcId ?? '')).toMatchObject({
          Name: 'Customer 10000',
          'Phone No.': '555',
        });
      const next = await w.sync.synchronizeAll(MANAGER, 'CUSTOMER');
      expect(nonZero(next.job.counters)).toEqual({ unchanged: 2 });
    }
  });
});

describe('Restore Records toward Business Central after a crash', () => {
  it('creates no second record: the one an interrupted restore left is found, and the fix is named', async () => {
    let crash = true;
    const w = await world(t.db, {
      wrap: ({ bc, dv }) => ({
        dv,
        bc: new Proxy(bc, {
          get(target, prop, receiver) {
            const v = Reflect.get(target, prop, receiver) as unknown;
            if (typeof v !== 'function') return v;
            if (prop !== 'createMany') return v.bind(target);
            return async (...args: unknown[]) => {
              const out = (await (v as (...a: unknown[]) => Promise<unknown>).apply(target, args)) as unknown;
              // The POST reached Business Central; the process dies before the coupling is saved.
              if (crash) throw new Error('crash after the create');
              return out;
            };
          },
        }),
      }),
    });
    await w.mappings.setConflictResolution(MANAGER, 'CUSTOMER', { deletion: 'Restore Records' });
    const p = await w.coupledPair('10000', { 'Phone No.': '555' }, { telephone1: '555' });
    await w.coupledPair('20000');
    await w.sandbox.bc.delete('Customer', p.bc.id);
    const first = await w.sync.synchronizeAll(MANAGER, 'CUSTOMER');
    expect(first.job.status).toBe('Failed');
    expect(await t.db.collection('bc.customer').countDocuments()).toBe(2);

    crash = false;
    const again = await w.sync.synchronizeAll(MANAGER, 'CUSTOMER');
    expect(await t.db.collection('bc.customer').countDocuments()).toBe(2);
    expect(again.records.map((r) => r.outcome)).toContain('Failed');
    expect(again.records.find((r) => r.outcome === 'Failed')?.message).toMatch(
      /already looks like this account and is not coupled\. Couple it \(Set Up Coupling\) or delete it/,
    );
    expect((await w.couplings.getByBcId('CUSTOMER', p.bc.id))?.dvId).toBe(p.dv.id);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusinessCentralPort } from '../../../core/ports/business-central.js';
import type { DataversePort } from '../../../core/ports/dataverse.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';
import { USER, world } from './world.js';

let t: TestDb;
beforeAll(async () => {
  t = await useTestDb();
});
afterAll(async () => t.cleanup());

const nonZero = (c: Record<string, number>) => Object.fromEntries(Object.entries(c).filter(([, v]) => v > 0));

/** Records read by id (partners of listed records), as `<system>:<id>`. */
function readsById<T extends BusinessCentralPort | DataversePort>(port: T, method: string, log: string[]): T {
  return new Proxy(port, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      if (prop !== method) return v.bind(target);
      return (table: string, ids: readonly string[]) => {
        log.push(...ids.map((id) => `${method}:${table}:${id}`));
        return (v as (t: string, i: readonly string[]) => unknown).call(target, table, ids);
      };
    },
  });
}

describe('Synchronize Modified Records and its own writes', () => {
  it("does not read the partners of what the previous run wrote, yet takes a later edit of the written record's partner", async () => {
    const reads: string[] = [];
    const w = await world(t.db, {
      wrap: ({ bc, dv }) => ({
        bc: readsById(bc, 'getManyByIds', reads),
        dv: readsById(dv, 'getMany', reads),
      }),
    });
    const a = await w.coupledPair('10000');
    const b = await w.coupledPair('20000');
    await w.editBc(a.bc.id, { City: 'Bergen' }); // the run writes a's account
    await w.editDv(b.dv.id, { telephone1: '777' }); // the run writes b's customer
    const first = await w.sync.synchronizeModified(USER, 'CUSTOMER');
    expect(nonZero(first.job.counters)).toEqual({ modified: 2 });

    // Within the marks' skew margin, a's account and b's customer (the run's writes) and b's account
    // (edited just before) are listed again. Someone then edits a's account once more.
    w.clock.advanceMinutes(1);
    await w.editDv(a.dv.id, { telephone1: '888' });
    reads.length = 0;
    const second = await w.sync.synchronizeModified(USER, 'CUSTOMER');
    expect(nonZero(second.job.counters)).toEqual({ modified: 1 });
    expect((await w.bcNow(a.bc.id))?.['Phone No.']).toBe('888');
    // Only a's customer is read, for its account's new edit; b's echoes cost no read.
    expect(reads).toEqual([`getManyByIds:Customer:${a.bc.id}`]);

    w.clock.advanceMinutes(5);
    reads.length = 0;
    const third = await w.sync.synchronizeModified(USER, 'CUSTOMER');
    expect(nonZero(third.job.counters)).toEqual({});
    expect(reads).toEqual([]);
  });

  it('a record its previous run wrote is still a conflict when both sides are then edited', async () => {
    const w = await world(t.db);
    const a = await w.coupledPair('10000');
    await w.editBc(a.bc.id, { City: 'Bergen' });
    await w.sync.synchronizeModified(USER, 'CUSTOMER');
    w.clock.advanceMinutes(1);
    await w.editBc(a.bc.id, { 'Phone No.': '111' });
    await w.editDv(a.dv.id, { telephone1: '222' });
    const r = await w.sync.synchronizeModified(USER, 'CUSTOMER');
    expect(nonZero(r.job.counters)).toEqual({ skipped: 1 });
    expect(r.records[0]?.message).toMatch(/changed in both Business Central and Dataverse: field Phone No\./);
  });
});

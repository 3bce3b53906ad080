import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../../../core/errors.js';
import type { Coupling } from '../../../core/model/coupling.js';
import { makeWorld, manager, user, type World } from './world.js';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});
beforeEach(() => w.reset());
afterAll(() => w.cleanup());

const coupling = (mapping: string, i: number): Coupling => ({
  mapping,
  bcId: randomUUID(),
  bcNumber: `N${i}`,
  dvId: randomUUID(),
  lastSyncedBcModifiedOn: null,
  lastSyncedDvModifiedOn: null,
  lastSyncResultBc: null,
  lastSyncResultDv: null,
  lastJobId: null,
  skipped: false,
  coupledAt: new Date(),
  coupledBy: 'test',
  origin: 'manual',
});

describe('uncouple', () => {
  it('deletes the coupling of each record and says what happened to each', async () => {
    await w.service.couple(user, {
      bcTable: 'Customer',
      number: '10000',
      dvId: (await w.dvRow('account', 'Adatum Corporation')).id,
    });
    const outcomes = await w.service.uncouple(user, 'Customer', ['10000', '20000', '99999']);
    expect(outcomes.map((o) => [o.number, o.outcome])).toEqual([
      ['10000', 'uncoupled'],
      ['20000', 'not-coupled'],
      ['99999', 'not-found'],
    ]);
    expect(outcomes[1]?.message).toBe('Customer 20000 Trey Research is not coupled.');
    expect(await w.couplingCount()).toBe(0);
    const entries = await w.audit.list({ subject: 'customer:10000' });
    expect(entries.map((e) => e.action)).toEqual(['coupling.uncouple', 'coupling.couple']);
  });

  it('finds the coupling of a record deleted in Business Central by its number', async () => {
    await w.service.couple(user, {
      bcTable: 'Customer',
      number: '20000',
      dvId: (await w.dvRow('account', 'trey research', null)).id,
    });
    await w.bc.delete('Customer', (await w.bc.getByNumber('Customer', '20000'))!.id);
    const [outcome] = await w.service.uncouple(user, 'Customer', ['20000']);
    expect(outcome?.outcome).toBe('uncoupled');
    expect(await w.couplingCount()).toBe(0);
  });

  it.each([
    ['an operator object among the numbers', ['10000', { $ne: null }]],
    ['an empty list', []],
    ['oversize text', ['10000', 'x'.repeat(500)]],
  ])('refuses %s before deleting anything', async (_what, numbers) => {
    await w.service.couple(user, {
      bcTable: 'Customer',
      number: '10000',
      dvId: (await w.dvRow('account', 'Adatum Corporation')).id,
    });
    await expect(w.service.uncouple(user, 'Customer', numbers)).rejects.toMatchObject({
      code: ErrorCode.InvalidInput,
    });
    expect(await w.couplingCount()).toBe(1);
  });
});

describe('uncoupleAll', () => {
  it('deletes every coupling of the mapping as an Uncoupling job with its Uncoupled counter', async () => {
    await w.couplings.bulkInsert(Array.from({ length: 1203 }, (_, i) => coupling('CUSTOMER', i)));
    await w.couplings.bulkInsert(Array.from({ length: 7 }, (_, i) => coupling('VENDOR', i)));
    const job = await w.service.uncoupleAll(manager, 'customer');
    expect(job).toMatchObject({
      mapping: 'CUSTOMER',
      type: 'Uncoupling',
      status: 'Finished',
      startedBy: manager.name,
    });
    expect(job.counters.uncoupled).toBe(1203);
    expect(await w.couplings.count('CUSTOMER')).toBe(0);
    expect(await w.couplings.count('VENDOR')).toBe(7);
    const [entry] = await w.audit.list({ mapping: 'CUSTOMER' });
    expect(entry).toMatchObject({ action: 'coupling.uncouple-all', actorId: manager.id });
  });

  it('refuses a user who is not a manager, deleting nothing and starting no job', async () => {
    await w.couplings.bulkInsert(Array.from({ length: 5 }, (_, i) => coupling('CUSTOMER', i)));
    await expect(w.service.uncoupleAll(user, 'CUSTOMER')).rejects.toMatchObject({
      code: ErrorCode.Forbidden,
    });
    expect(await w.couplings.count('CUSTOMER')).toBe(5);
    expect(await w.jobs.listRecent()).toHaveLength(0);
  });

  it('refuses an unknown mapping, naming the real ones', async () => {
    await expect(w.service.uncoupleAll(manager, 'CUSTOMERS-X')).rejects.toMatchObject({
      code: ErrorCode.NotFound,
      message: expect.stringContaining('CUSTOMER, VENDOR'),
    });
  });
});

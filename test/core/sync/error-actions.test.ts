import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';
import { MANAGER, USER, world, type World } from './world.js';

let t: TestDb;
let w: World;
beforeAll(async () => {
  t = await useTestDb();
});
afterAll(async () => t.cleanup());
beforeEach(async () => {
  w = await world(t.db);
});

/** Customer 10000 changed Phone No. on both sides; the mapping resolves nothing: one open conflict. */
async function conflict() {
  const p = await w.coupledPair('10000');
  await w.editBc(p.bc.id, { 'Phone No.': '555' });
  await w.editDv(p.dv.id, { telephone1: '777' });
  await w.sync.synchronizeModified(USER, 'CUSTOMER');
  const [error] = await w.actions.list({ mapping: 'CUSTOMER' });
  if (!error) throw new Error('expected an open conflict');
  return { p, error };
}

/** The account of customer 10000 was deleted in Dataverse: one open deletion error. */
async function deletion() {
  const p = await w.coupledPair('10000', { 'Phone No.': '555' }, { telephone1: '555' });
  await w.sandbox.dv.delete('account', p.dv.id);
  await w.sync.synchronizeAll(MANAGER, 'CUSTOMER');
  const [error] = await w.actions.list();
  if (!error) throw new Error('expected an open deletion error');
  return { p, error };
}

const refused = async (call: Promise<unknown>) =>
  call.then(
    () => null,
    (e: unknown) => e as DomainError,
  );

describe('Coupled Data Synchronization Errors', () => {
  it('lists a conflict once, however often it comes back, and keeps it until resolved', async () => {
    const { error } = await conflict();
    expect(error).toMatchObject({ kind: 'conflict', bcNumber: '10000', occurrences: 1, status: 'open' });
    const again = await w.actions.retry(USER, error.id);
    expect(again.resolved).toBe(false);
    expect(again.run?.records.map((r) => r.outcome)).toEqual(['Skipped']);
    expect((await w.actions.list()).map((e) => [e.id, e.occurrences])).toEqual([[error.id, 2]]);
  });

  it('Synchronize lets the chosen side win and resolves the error', async () => {
    const { p, error } = await conflict();
    const r = await w.actions.synchronize(USER, error.id, 'dv');
    expect(r.resolved).toBe(true);
    expect(r.error).toMatchObject({ status: 'resolved', resolvedBy: USER.name, resolution: 'Synchronized' });
    expect((await w.bcNow(p.bc.id))?.['Phone No.']).toBe('777');
    expect((await w.couplings.getByBcId('CUSTOMER', p.bc.id))?.skipped).toBe(false);
  });

  it('Retry All applies the mapping resolution strategy once it is set', async () => {
    const { p } = await conflict();
    await w.mappings.setConflictResolution(MANAGER, 'CUSTOMER', { update: 'Send Update to Integration' });
    const run = await w.actions.retryAll(USER, 'CUSTOMER');
    expect(run.job.counters).toMatchObject({ modified: 1, skipped: 0 });
    expect((await w.dvNow(p.dv.id))?.['telephone1']).toBe('555');
    expect(await w.actions.list()).toEqual([]);
  });

  it('closes by itself when a later synchronization of the record succeeds', async () => {
    const { p } = await conflict();
    await w.editDv(p.dv.id, { telephone1: '555' });
    const r = await w.sync.synchronizeModified(USER, 'CUSTOMER');
    expect(r.job.counters).toMatchObject({ unchanged: 1, skipped: 0 });
    expect(await w.actions.list()).toEqual([]);
  });

  it('Delete Coupling removes the coupling and resolves the error', async () => {
    const { p, error } = await conflict();
    const r = await w.actions.deleteCoupling(USER, error.id);
    expect(r.resolved).toBe(true);
    expect(await w.couplings.getByBcId('CUSTOMER', p.bc.id)).toBeNull();
    expect((await w.audit.list({ mapping: 'CUSTOMER' })).map((a) => a.action)).toContain(
      'syncError.deleteCoupling',
    );
  });

  it('Restore Records recreates the deleted account and couples it again', async () => {
    const { p, error } = await deletion();
    expect(error).toMatchObject({ kind: 'deletion', missingSide: 'dv' });
    const r = await w.actions.restoreRecords(USER, error.id);
    expect(r.resolved).toBe(true);
    const c = await w.couplings.getByBcId('CUSTOMER', p.bc.id);
    expect(c?.dvId).not.toBe(p.dv.id);
    expect(await w.dvNow(c?.dvId ?? '')).toMatchObject({ name: 'Customer 10000', telephone1: '555' });
  });

  it('Delete Records deletes the record left behind, for managers only', async () => {
    const { p, error } = await deletion();
    const denied = await refused(w.actions.deleteRecords(USER, error.id));
    expect(denied?.code).toBe(ErrorCode.Forbidden);
    expect(await w.bcNow(p.bc.id)).toBeDefined();
    const r = await w.actions.deleteRecords(MANAGER, error.id);
    expect(r.message).toBe('Customer 10000 was deleted in Business Central, and its coupling removed.');
    expect(await w.bcNow(p.bc.id)).toBeUndefined();
    expect(await w.couplings.getByBcId('CUSTOMER', p.bc.id)).toBeNull();
  });
});

describe('error actions re-check state and refuse bad input, changing nothing', () => {
  it('says who resolved an error already resolved', async () => {
    const { error } = await conflict();
    await w.actions.synchronize(USER, error.id, 'bc');
    const err = await refused(w.actions.deleteCoupling(MANAGER, error.id));
    expect(err?.code).toBe(ErrorCode.StaleState);
    expect(err?.message).toMatch(
      /^This error was already resolved by Ulla User at 2025-01-01 \d\d:\d\d UTC \(Synchronized\); nothing was changed\.$/,
    );
  });

  it('lets only one of two simultaneous actions act', async () => {
    const { p, error } = await conflict();
    const results = await Promise.all([
      refused(w.actions.synchronize(USER, error.id, 'bc')),
      refused(w.actions.synchronize(MANAGER, error.id, 'dv')),
    ]);
    expect(results.filter((r) => r === null)).toHaveLength(1);
    expect(results.find((r) => r !== null)?.code).toBe(ErrorCode.StaleState);
    expect(await w.couplings.getByBcId('CUSTOMER', p.bc.id)).not.toBeNull();
  });

  const forged: Array<[string, unknown, string]> = [
    ['not a GUID', 'abc', ErrorCode.InvalidInput],
    ['an operator object', { $ne: null }, ErrorCode.InvalidInput],
    ['an operator as text', '{"$ne":null}', ErrorCode.InvalidInput],
    ['a GUID nobody issued', '0b7d3c1e-6b0a-4c55-9a57-3c2f7e8d9a10', ErrorCode.NotFound],
  ];
  it.each(forged)('refuses %s as an error id', async (_name, id, code) => {
    const { p } = await conflict();
    const err = await refused(w.actions.retry(USER, id as string));
    expect(err?.code).toBe(code);
    expect((await w.actions.list()).map((e) => e.status)).toEqual(['open']);
    expect((await w.couplings.getByBcId('CUSTOMER', p.bc.id))?.skipped).toBe(true);
  });

  it('refuses Restore Records and Delete Records for a conflict, and an unknown winner', async () => {
    const { error } = await conflict();
    expect((await refused(w.actions.restoreRecords(USER, error.id)))?.message).toMatch(
      /applies to records whose partner was deleted; this error is a conflict/,
    );
    expect((await refused(w.actions.deleteRecords(MANAGER, error.id)))?.code).toBe(ErrorCode.InvalidInput);
    expect((await refused(w.actions.synchronize(USER, error.id, 'both' as 'bc')))?.code).toBe(
      ErrorCode.InvalidInput,
    );
    expect((await w.actions.list()).map((e) => [e.status, e.claimedBy])).toEqual([['open', null]]);
  });
});

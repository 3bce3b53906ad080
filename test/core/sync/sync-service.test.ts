import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import type { UpdateConflictResolution } from '../../../core/model/mapping.js';
import type { Fields } from '../../../core/model/record.js';
import type { SyncOption } from '../../../core/sync/change-detection.js';
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

const counters = async (jobId: string) => (await w.jobs.get(jobId))?.counters;

describe('Synchronize Now: a change on one side, synchronized in each direction', () => {
  interface Case {
    name: string;
    bc?: Fields;
    dv?: Fields;
    direction: SyncOption;
    outcome: string;
    phone: { bc: string; dv: string };
  }
  const cases: Case[] = [
    {
      name: 'BC changed, Send',
      bc: { 'Phone No.': '555' },
      direction: 'ToIntegrationTable',
      outcome: 'Modified',
      phone: { bc: '555', dv: '555' },
    },
    {
      name: 'BC changed, Merge',
      bc: { 'Phone No.': '555' },
      direction: 'Bidirectional',
      outcome: 'Modified',
      phone: { bc: '555', dv: '555' },
    },
    {
      name: 'BC changed, Get overwrites BC',
      bc: { 'Phone No.': '555' },
      direction: 'FromIntegrationTable',
      outcome: 'Modified',
      phone: { bc: '100', dv: '100' },
    },
    {
      name: 'Dataverse changed, Get',
      dv: { telephone1: '777' },
      direction: 'FromIntegrationTable',
      outcome: 'Modified',
      phone: { bc: '777', dv: '777' },
    },
    {
      name: 'Dataverse changed, Merge',
      dv: { telephone1: '777' },
      direction: 'Bidirectional',
      outcome: 'Modified',
      phone: { bc: '777', dv: '777' },
    },
    {
      name: 'Dataverse changed, Send overwrites Dataverse',
      dv: { telephone1: '777' },
      direction: 'ToIntegrationTable',
      outcome: 'Modified',
      phone: { bc: '100', dv: '100' },
    },
    {
      name: 'nothing changed, Merge',
      direction: 'Bidirectional',
      outcome: 'Unchanged',
      phone: { bc: '100', dv: '100' },
    },
  ];

  it.each(cases)('$name → $outcome', async (c) => {
    const p = await w.coupledPair('10000');
    if (c.bc) await w.editBc(p.bc.id, c.bc);
    if (c.dv) await w.editDv(p.dv.id, c.dv);
    const r = await w.sync.synchronizeNow(USER, 'CUSTOMER', [p.bc.id], c.direction);
    expect(r.records.map((x) => x.outcome)).toEqual([c.outcome]);
    expect((await w.bcNow(p.bc.id))?.['Phone No.']).toBe(c.phone.bc);
    expect((await w.dvNow(p.dv.id))?.['telephone1']).toBe(c.phone.dv);
    expect(r.job).toMatchObject({
      status: 'Finished',
      direction: c.direction,
      startedBy: USER.name,
      type: 'Synchronization',
    });
    expect(r.job.counters[c.outcome.toLowerCase() as 'modified']).toBe(1);
  });

  it('reports the changed fields old → new', async () => {
    const p = await w.coupledPair('10000');
    await w.editDv(p.dv.id, { telephone1: '777', address1_city: 'Bergen' });
    const r = await w.sync.synchronizeNow(USER, 'CUSTOMER', [p.bc.id], 'Bidirectional');
    expect(r.records[0]?.changes).toEqual([
      { bcField: 'City', dvField: 'address1_city', side: 'bc', old: 'Oslo', new: 'Bergen' },
      { bcField: 'Phone No.', dvField: 'telephone1', side: 'bc', old: '100', new: '777' },
    ]);
  });
});

describe('Synchronize Now (Merge): a bidirectional field changed on both sides', () => {
  const cases: Array<[UpdateConflictResolution, string, { bc: string; dv: string }]> = [
    ['None', 'Skipped', { bc: '555', dv: '777' }],
    ['Send Update to Integration', 'Modified', { bc: '555', dv: '555' }],
    ['Get Update from Integration', 'Modified', { bc: '777', dv: '777' }],
  ];

  it.each(cases)('Resolve Update Conflicts = %s → %s', async (resolution, outcome, phone) => {
    await w.mappings.setConflictResolution(MANAGER, 'CUSTOMER', { update: resolution });
    const p = await w.coupledPair('10000');
    await w.editBc(p.bc.id, { 'Phone No.': '555' });
    await w.editDv(p.dv.id, { telephone1: '777' });
    const r = await w.sync.synchronizeNow(USER, 'CUSTOMER', [p.bc.id], 'Bidirectional');
    expect(r.records.map((x) => x.outcome)).toEqual([outcome]);
    expect((await w.bcNow(p.bc.id))?.['Phone No.']).toBe(phone.bc);
    expect((await w.dvNow(p.dv.id))?.['telephone1']).toBe(phone.dv);
    const coupling = await w.couplings.getByBcId('CUSTOMER', p.bc.id);
    const open = await w.errors.listOpen({ mapping: 'CUSTOMER' });
    if (resolution === 'None') {
      expect(coupling?.skipped).toBe(true);
      expect(r.records[0]?.message).toContain(
        'was changed in both Business Central and Dataverse: field Phone No.',
      );
      expect(open.map((e) => [e.kind, e.bcNumber])).toEqual([['conflict', '10000']]);
      expect(r.newErrors).toBe(1);
    } else {
      expect(coupling?.skipped).toBe(false);
      expect(open).toEqual([]);
    }
  });

  it('is no conflict when each side changed a different field: both changes are kept', async () => {
    const p = await w.coupledPair('10000');
    await w.editBc(p.bc.id, { Name: 'Adatum Corporation' });
    await w.editDv(p.dv.id, { telephone1: '777' });
    const r = await w.sync.synchronizeNow(USER, 'CUSTOMER', [p.bc.id], 'Bidirectional');
    expect(r.records.map((x) => x.outcome)).toEqual(['Modified']);
    expect(await w.bcNow(p.bc.id)).toMatchObject({ Name: 'Adatum Corporation', 'Phone No.': '777' });
    expect(await w.dvNow(p.dv.id)).toMatchObject({ name: 'Adatum Corporation', telephone1: '777' });
  });

  it('is no conflict when only one-way fields changed on both sides; BC stays master of them', async () => {
    const p = await w.coupledPair('10000', { 'Credit Limit (LCY)': 1000 }, { creditlimit: 1000 });
    await w.editBc(p.bc.id, { 'Credit Limit (LCY)': 2000 });
    await w.editDv(p.dv.id, { accountnumber: 'X-1' });
    const r = await w.sync.synchronizeNow(USER, 'CUSTOMER', [p.bc.id], 'Bidirectional');
    expect(r.records.map((x) => x.outcome)).toEqual(['Modified']);
    expect(await w.dvNow(p.dv.id)).toMatchObject({ creditlimit: 2000, accountnumber: '10000' });
    expect(r.job.counters.skipped).toBe(0);
  });
});

describe('Synchronize Now for several records', () => {
  it('fails only the record whose value is too long for the target, naming the field', async () => {
    const a = await w.coupledPair('10000');
    const bad = await w.coupledPair('123456789012345678901', {}, { accountnumber: '1' });
    const b = await w.coupledPair('20000');
    for (const p of [a, bad, b]) await w.editBc(p.bc.id, { 'Phone No.': '555' });
    const r = await w.sync.synchronizeNow(
      USER,
      'CUSTOMER',
      [a.bc.id, bad.bc.id, b.bc.id],
      'ToIntegrationTable',
    );
    expect(r.records.map((x) => x.outcome)).toEqual(['Modified', 'Failed', 'Modified']);
    expect(r.records[1]?.message).toBe(
      'The value of No. (21 characters) is too long for accountnumber (maximum 20).',
    );
    expect(await counters(r.job.id)).toMatchObject({ modified: 2, failed: 1 });
    expect((await w.dvNow(bad.dv.id))?.['telephone1']).toBe('100');
    expect((await w.couplings.getByBcId('CUSTOMER', bad.bc.id))?.lastSyncResultDv).toBe('Failure');
    expect((await w.errors.listOpen()).map((e) => e.kind)).toEqual(['failure']);
  });

  it('reports an uncoupled record as not coupled and synchronizes the others', async () => {
    const a = await w.coupledPair('10000');
    const lone = await w.sandbox.bc.create('Customer', { 'No.': '90000', Name: 'Lone', Blocked: '' });
    const r = await w.sync.synchronizeNow(USER, 'CUSTOMER', [a.bc.id, lone.id], 'Bidirectional');
    expect(r.records.map((x) => [x.bcNumber, x.outcome])).toEqual([
      ['10000', 'Unchanged'],
      ['90000', 'Failed'],
    ]);
    expect(r.records[1]?.message).toBe(
      'Customer 90000 is not coupled to a Dataverse account. Couple it first (`couple customer 90000`).',
    );
    expect(r.job.counters).toMatchObject({ failed: 1, unchanged: 1 });
  });
});

describe('Synchronize Now refuses bad input and changes nothing', () => {
  const refusals: Array<[string, () => Promise<unknown>, string, RegExp]> = [
    [
      'a record that is not coupled',
      async () =>
        w.sync.synchronizeNow(
          USER,
          'CUSTOMER',
          [(await w.sandbox.bc.create('Customer', { 'No.': '1', Name: 'x', Blocked: '' })).id],
          'Bidirectional',
        ),
      ErrorCode.NotCoupled,
      /Customer 1 is not coupled/,
    ],
    [
      'an unknown direction',
      () => w.sync.synchronizeNow(USER, 'CUSTOMER', ['x'], 'Sideways'),
      ErrorCode.InvalidInput,
      /"Sideways" is not a synchronization direction; use ToIntegrationTable \(Send data update to Dataverse\)/,
    ],
    [
      'a direction the mapping does not allow',
      () => w.sync.synchronizeNow(USER, 'ITEM-PRODUCT', ['x'], 'FromIntegrationTable'),
      ErrorCode.NotAllowedByMapping,
      /Mapping ITEM-PRODUCT is ToIntegrationTable: choose Send data update to Dataverse/,
    ],
    [
      'Merge on a one-direction mapping',
      () => w.sync.synchronizeNow(USER, 'SALESPEOPLE', ['x'], 'Bidirectional'),
      ErrorCode.NotAllowedByMapping,
      /choose Get data update from Dataverse/,
    ],
    [
      'no records',
      () => w.sync.synchronizeNow(USER, 'CUSTOMER', [], 'Bidirectional'),
      ErrorCode.InvalidInput,
      /Name 1 to 5000 records/,
    ],
    [
      'an operator object instead of an id',
      () => w.sync.synchronizeNow(USER, 'CUSTOMER', [{ $ne: null }] as unknown as string[], 'Bidirectional'),
      ErrorCode.InvalidInput,
      /Name 1 to 5000 records/,
    ],
    [
      'an unknown mapping',
      () => w.sync.synchronizeNow(USER, 'NOPE', ['x'], 'Bidirectional'),
      ErrorCode.NotFound,
      /There is no table mapping "NOPE"/,
    ],
    [
      'an unknown mapping for a whole run',
      () => w.sync.synchronizeModified(USER, '{"$gt":""}'),
      ErrorCode.NotFound,
      /There is no table mapping/,
    ],
  ];

  it.each(refusals)('%s', async (_name, call, code, message) => {
    const p = await w.coupledPair('10000');
    await w.editBc(p.bc.id, { 'Phone No.': '555' });
    const err = await call().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe(code);
    expect((err as DomainError).message).toMatch(message);
    expect(await w.jobs.listRecent()).toEqual([]);
    expect((await w.dvNow(p.dv.id))?.['telephone1']).toBe('100');
  });
});

describe('recommend', () => {
  it('recommends Send when BC changed, and only one-direction options when a field changed on both sides', async () => {
    const a = await w.coupledPair('10000');
    const b = await w.coupledPair('20000');
    await w.editBc(a.bc.id, { 'Phone No.': '555' });
    await w.editBc(b.bc.id, { 'Phone No.': '555' });
    await w.editDv(b.dv.id, { telephone1: '777' });
    const one = await w.sync.recommend('CUSTOMER', [a.bc.id]);
    expect([one.options, one.recommended]).toEqual([
      ['ToIntegrationTable', 'FromIntegrationTable', 'Bidirectional'],
      'ToIntegrationTable',
    ]);
    const both = await w.sync.recommend('customer', [a.bc.id, b.bc.id]);
    expect([both.options, both.recommended]).toEqual([['ToIntegrationTable', 'FromIntegrationTable'], null]);
    expect(both.records[1]?.recommendation?.conflictFields).toEqual(['Phone No.']);
  });
});

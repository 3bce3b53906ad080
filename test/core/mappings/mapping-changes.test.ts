import type { Db } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../../core/audit/audit-log.js';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import { defaultMapping } from '../../../core/mappings/defaults.js';
import { createMappingService } from '../../../core/mappings/mapping-service.js';
import type { Actor } from '../../../core/model/actor.js';
import { createRoles } from '../../../core/roles.js';
import { ensureIndexes } from '../../../core/store/indexes.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';

const COMPANY = '0f8a3c1e-5b7d-4e2a-9c6f-1d2e3f4a5b6c';
const alice: Actor = { id: 'aad-alice', name: 'Alice Manager' };

let t: TestDb;
let db: Db;
let n = 0;

/** One small factory: the service on a fresh, seeded database with Alice as manager. */
async function seeded() {
  db = t.db;
  // Each test starts empty; dropping the suite's own database also leaves nothing behind on real MongoDB.
  await db.dropDatabase();
  await ensureIndexes(db);
  const clock = { now: () => new Date(Date.UTC(2025, 0, 1, 12, 0, n++)) };
  const audit = createAuditLog({ db, clock });
  const mappings = createMappingService({
    db,
    roles: createRoles([alice.id]),
    audit,
    clock,
    companyId: COMPANY,
  });
  await mappings.seedDefaults();
  return { mappings, audit };
}

async function errorOf(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DomainError);
  return e as DomainError;
}

let s: Awaited<ReturnType<typeof seeded>>;
beforeAll(async () => {
  t = await useTestDb();
});
afterAll(async () => {
  await t.cleanup();
});
beforeEach(async () => {
  s = await seeded();
});

describe('direction and conflict settings', () => {
  it('turning a mapping FromIntegrationTable switches Create New off, since nothing goes to Dataverse', async () => {
    await s.mappings.saveMatchCriteria(alice, 'CUSTOMER', { createNew: true });
    expect((await s.mappings.get('CUSTOMER')).createNewIfNoMatch).toBe(true);
    const m = await s.mappings.setDirection(alice, 'CUSTOMER', 'FromIntegrationTable');
    expect([m.direction, m.createNewIfNoMatch]).toEqual(['FromIntegrationTable', false]);
    const [entry] = await s.audit.list({ subject: 'mapping:CUSTOMER' });
    expect(entry?.details).toMatchObject({
      to: 'FromIntegrationTable',
      alsoChanged: { createNewIfNoMatch: false },
    });
  });

  it('sets both conflict resolutions on a bidirectional mapping', async () => {
    const m = await s.mappings.setConflictResolution(alice, 'CUSTOMER', {
      update: 'get update from integration',
      deletion: 'Restore Records',
    });
    expect([m.updateConflictResolution, m.deletionConflictResolution]).toEqual([
      'Get Update from Integration',
      'Restore Records',
    ]);
  });

  it('refuses update-conflict resolution on a one-way mapping', async () => {
    const e = await errorOf(
      s.mappings.setConflictResolution(alice, 'ITEM-PRODUCT', { update: 'Send Update to Integration' }),
    );
    expect(e.code).toBe(ErrorCode.NotAllowedByMapping);
    expect(e.message).toBe(
      'Resolve Update Conflicts applies to bidirectional mappings only; ITEM-PRODUCT is ToIntegrationTable.',
    );
    expect((await s.mappings.get('ITEM-PRODUCT')).version).toBe(0);
  });
});

describe('match criteria', () => {
  it('saves match fields, priorities and options into the field mappings', async () => {
    const m = await s.mappings.saveMatchCriteria(alice, 'customer', {
      fields: [
        { bcField: 'name', match: true, caseSensitive: true, priority: 1 },
        { bcField: 'E-Mail', match: true, priority: 0 },
      ],
      createNew: true,
      syncAfterCoupling: 'Yes - Use the Business Central data',
    });
    const matchOn = m.fields
      .filter((f) => f.useForMatch)
      .map((f) => [f.bcField, f.caseSensitive, f.matchPriority]);
    expect(matchOn).toEqual([
      ['Name', true, 1],
      ['E-Mail', false, 0],
    ]);
    expect([m.createNewIfNoMatch, m.syncAfterCoupling, m.version]).toEqual([
      true,
      'Yes - Use the Business Central data',
      1,
    ]);
    expect(await s.mappings.get('CUSTOMER')).toEqual(m);
  });

  it('refuses a field with a constant value as a match field', async () => {
    await db
      .collection('mappings')
      .updateOne(
        { name: 'CUSTOMER', 'fields.bcField': 'City' },
        { $set: { 'fields.$.constant': 'Seattle' } },
      );
    const e = await errorOf(
      s.mappings.saveMatchCriteria(alice, 'CUSTOMER', { fields: [{ bcField: 'City', match: true }] }),
    );
    expect(e.code).toBe(ErrorCode.InvalidInput);
    expect(e.message).toMatch(/City has the constant value "Seattle".*cannot be a match field/);
    expect((await s.mappings.get('CUSTOMER')).version).toBe(0);
  });

  it('refuses Create New for a mapping whose data never flows to Dataverse', async () => {
    const e = await errorOf(s.mappings.saveMatchCriteria(alice, 'SALESPEOPLE', { createNew: true }));
    expect(e.message).toMatch(/Create New If Unable to Find a Match is not available for SALESPEOPLE/);
    expect((await s.mappings.get('SALESPEOPLE')).createNewIfNoMatch).toBe(false);
  });

  it('Reset Criteria puts back the default match settings and nothing else', async () => {
    await s.mappings.setSyncOnlyCoupled(alice, 'CUSTOMER', false);
    await s.mappings.saveMatchCriteria(alice, 'CUSTOMER', {
      fields: [
        { bcField: 'Name', match: false },
        { bcField: 'City', match: true, priority: 4 },
      ],
    });
    const m = await s.mappings.resetMatchCriteria(alice, 'CUSTOMER');
    const def = defaultMapping(COMPANY, 'CUSTOMER')!;
    expect(m.fields).toEqual(def.fields);
    expect(m.syncOnlyCoupled).toBe(false);
  });
});

describe('reset to defaults and high-water marks', () => {
  it('reset restores every setting, keeps the high-water marks, and is audited', async () => {
    const mark = new Date('2025-03-01T10:00:00Z');
    await s.mappings.setDirection(alice, 'VENDOR', 'ToIntegrationTable');
    await s.mappings.setSyncOnlyCoupled(alice, 'VENDOR', false);
    await s.mappings.advanceHighWaterMarks('VENDOR', { bc: mark });
    const m = await s.mappings.resetToDefaults(alice, 'vendor');
    const def = defaultMapping(COMPANY, 'VENDOR')!;
    const settings = (x: typeof m) => ({
      ...x,
      version: 0,
      updatedAt: null,
      updatedBy: null,
      lastSyncedBcModifiedOn: null,
    });
    expect(settings(m)).toEqual(def);
    expect([m.lastSyncedBcModifiedOn, m.version]).toEqual([mark, 3]);
    expect((await s.audit.list({ mapping: 'VENDOR', limit: 1 }))[0]?.action).toBe('mapping.reset');
  });

  it('a job advances the high-water marks only forward and without a new version', async () => {
    const early = new Date('2025-01-01T00:00:00Z');
    const late = new Date('2025-02-01T00:00:00Z');
    await s.mappings.advanceHighWaterMarks('CUSTOMER', { bc: late, dv: early });
    await s.mappings.advanceHighWaterMarks('CUSTOMER', { bc: early, dv: late });
    const m = await s.mappings.get('CUSTOMER');
    expect([m.lastSyncedBcModifiedOn, m.lastSyncedDvModifiedOn, m.version]).toEqual([late, late, 0]);
  });

  it('a manager may move a high-water mark back (to resynchronize) or clear it', async () => {
    await s.mappings.advanceHighWaterMarks('CUSTOMER', {
      bc: new Date('2025-02-01T00:00:00Z'),
      dv: new Date(1),
    });
    const back = new Date('2024-12-01T00:00:00Z');
    const m = await s.mappings.setHighWaterMarks(alice, 'CUSTOMER', { bc: back, dv: null });
    expect([m.lastSyncedBcModifiedOn, m.lastSyncedDvModifiedOn, m.version]).toEqual([back, null, 1]);
  });
});

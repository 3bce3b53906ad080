import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../../core/audit/audit-log.js';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import { DEFAULT_MAPPING_NAMES } from '../../../core/mappings/defaults.js';
import { createMappingService } from '../../../core/mappings/mapping-service.js';
import type { Actor } from '../../../core/model/actor.js';
import type { BcTable } from '../../../core/model/tables.js';
import { createRoles } from '../../../core/roles.js';
import { ensureIndexes } from '../../../core/store/indexes.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';

const COMPANY = '0f8a3c1e-5b7d-4e2a-9c6f-1d2e3f4a5b6c';
const alice: Actor = { id: 'aad-alice', name: 'Alice Manager', conversationId: 'conv-a' };
const bob: Actor = { id: 'aad-bob', name: 'Bob Manager', conversationId: 'conv-b' };
const eve: Actor = { id: 'aad-eve', name: 'Eve User', conversationId: 'conv-e' };

let t: TestDb;
let db: Db;
let n = 0;

/** One small factory: a fresh database per test, seeded, with Alice and Bob as managers. */
function services(onDb: Db, recentMaxAgeMs?: number) {
  const clock = { now: () => new Date(Date.UTC(2025, 0, 1, 12, 0, n++)) };
  const audit = createAuditLog({ db: onDb, clock });
  const mappings = createMappingService({
    db: onDb,
    roles: createRoles([alice.id, bob.id]),
    audit,
    clock,
    companyId: COMPANY,
    ...(recentMaxAgeMs === undefined ? {} : { recentMaxAgeMs }),
  });
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

beforeAll(async () => {
  t = await useTestDb();
});
afterAll(async () => {
  await t.cleanup();
});
beforeEach(async () => {
  db = t.db;
  // Each test starts empty; dropping the suite's own database also leaves nothing behind on real MongoDB.
  await db.dropDatabase();
  await ensureIndexes(db);
});

describe('seeding the default mappings', () => {
  it('inserts the seven defaults once; a second start inserts nothing', async () => {
    const { mappings } = services(db);
    expect(await mappings.seedDefaults()).toEqual([...DEFAULT_MAPPING_NAMES]);
    expect(await mappings.seedDefaults()).toEqual([]);
    expect((await mappings.list()).map((m) => m.name)).toEqual([...DEFAULT_MAPPING_NAMES]);
  });

  it('is safe when two instances start at the same moment', async () => {
    const other = await new MongoClient(t.uri).connect();
    try {
      const db2 = other.db(db.databaseName);
      const [a, b] = await Promise.all([
        ensureIndexes(db2).then(() => services(db2).mappings.seedDefaults()),
        services(db).mappings.seedDefaults(),
      ]);
      expect([...a, ...b].sort()).toEqual([...DEFAULT_MAPPING_NAMES].sort());
      expect(await db.collection('mappings').countDocuments()).toBe(DEFAULT_MAPPING_NAMES.length);
    } finally {
      await other.close();
    }
  });

  it('never overwrites an edited mapping, and puts back one that went missing', async () => {
    const { mappings } = services(db);
    await mappings.seedDefaults();
    await mappings.setDirection(alice, 'CUSTOMER', 'ToIntegrationTable');
    await db.collection('mappings').deleteOne({ name: 'CURRENCY' });
    expect(await mappings.seedDefaults()).toEqual(['CURRENCY']);
    const customer = await mappings.get('CUSTOMER');
    expect([customer.direction, customer.version, customer.updatedBy]).toEqual([
      'ToIntegrationTable',
      1,
      'Alice Manager',
    ]);
  });
});

describe('reading mappings', () => {
  beforeEach(async () => {
    await services(db).mappings.seedDefaults();
  });

  it.each(['CUSTOMER', 'customer', ' Customer '])('finds %j case-insensitively', async (name) => {
    expect((await services(db).mappings.get(name)).name).toBe('CUSTOMER');
  });

  it.each([['customers'], ['CUST*'], [{ $ne: null }], ['x'.repeat(500)]])(
    'an unknown name %j is NotFound naming the valid mappings',
    async (name) => {
      const e = await errorOf(services(db).mappings.get(name as string));
      expect(e.code).toBe(ErrorCode.NotFound);
      expect(e.message).toMatch(
        /^There is no table mapping ".*"\. The mappings are: CUSTOMER, VENDOR, CONTACT,/,
      );
    },
  );

  it('finds the mapping of a BC table and the mappings of a Dataverse table', async () => {
    const { mappings } = services(db);
    expect((await mappings.getForBcTable('Item')).name).toBe('ITEM-PRODUCT');
    expect((await mappings.listForDvTable('account')).map((m) => m.name)).toEqual(['CUSTOMER', 'VENDOR']);
  });

  it.each([
    ['Customer', 'CUSTOMER'],
    ['Salesperson/Purchaser', 'SALESPEOPLE'],
    ['Nonsense', null],
    [{ $ne: null }, null],
  ])('reads the one mapping of BC table %j (or null), as stored', async (table, name) => {
    const { mappings } = services(db);
    const found = await mappings.findForBcTable(table as BcTable);
    expect(found?.name ?? null).toBe(name);
    if (found) expect(found).toEqual(await mappings.get(found.name));
  });
});

describe('the recent snapshot that cards show', () => {
  beforeEach(async () => {
    await services(db).mappings.seedDefaults();
  });

  const directionOf = async (s: ReturnType<typeof services>['mappings'], name: string) =>
    (await s.recent()).find((m) => m.name === name)?.direction;

  it('lists what list() lists, in the same order', async () => {
    const { mappings } = services(db);
    expect(await mappings.recent()).toEqual(await mappings.list());
  });

  it("shows this instance's own change at once", async () => {
    const { mappings } = services(db, 60_000);
    expect(await directionOf(mappings, 'CUSTOMER')).toBe('Bidirectional');
    await mappings.setDirection(alice, 'CUSTOMER', 'ToIntegrationTable');
    expect(await directionOf(mappings, 'CUSTOMER')).toBe('ToIntegrationTable');
  });

  it("shows another instance's change once the snapshot is older than its maximum age", async () => {
    const here = services(db, 200).mappings;
    const there = services(db).mappings;
    expect(await directionOf(here, 'VENDOR')).toBe('Bidirectional');
    await there.setDirection(bob, 'VENDOR', 'FromIntegrationTable');
    // Within the maximum age the card may still show the old value; after it, never.
    await new Promise((r) => setTimeout(r, 250));
    expect(await directionOf(here, 'VENDOR')).toBe('FromIntegrationTable');
  });

  it('with a maximum age of 0 reads every time', async () => {
    const here = services(db, 0).mappings;
    await directionOf(here, 'CONTACT');
    await services(db).mappings.setSyncOnlyCoupled(alice, 'CONTACT', false);
    await new Promise((r) => setTimeout(r, 2));
    expect((await here.recent()).find((m) => m.name === 'CONTACT')?.syncOnlyCoupled).toBe(false);
  });

  it('is shared, so nobody can change it by accident', async () => {
    const { mappings } = services(db);
    const [first] = await mappings.recent();
    expect(() => {
      (first as { direction: string }).direction = 'FromIntegrationTable';
    }).toThrow(TypeError);
    expect(() => (first!.fields as unknown[]).pop()).toThrow(TypeError);
    expect((await mappings.get(first!.name)).direction).toBe(first!.direction);
  });
});

describe('changing a mapping', () => {
  beforeEach(async () => {
    await services(db).mappings.seedDefaults();
  });

  it('a manager changes the direction: stored, version +1, audited with who, what and where from', async () => {
    const { mappings, audit } = services(db);
    const updated = await mappings.setDirection(alice, 'customer', 'toIntegrationTable');
    expect([updated.direction, updated.version, updated.updatedBy]).toEqual([
      'ToIntegrationTable',
      1,
      'Alice Manager',
    ]);
    expect((await mappings.get('CUSTOMER')).direction).toBe('ToIntegrationTable');
    const [entry] = await audit.list({ mapping: 'CUSTOMER' });
    expect(entry).toMatchObject({
      actorId: alice.id,
      actorName: 'Alice Manager',
      conversationId: 'conv-a',
      action: 'mapping.direction',
      subject: 'mapping:CUSTOMER',
      details: { from: 'Bidirectional', to: 'ToIntegrationTable', version: 1 },
    });
  });

  type Change = [string, (s: ReturnType<typeof services>['mappings'], a: Actor) => Promise<unknown>];
  const changes: Change[] = [
    ['set the direction', (s, a) => s.setDirection(a, 'CUSTOMER', 'FromIntegrationTable')],
    ['set Synch. Only Coupled Records', (s, a) => s.setSyncOnlyCoupled(a, 'CUSTOMER', false)],
    [
      'set conflict resolution',
      (s, a) => s.setConflictResolution(a, 'CUSTOMER', { deletion: 'Remove Coupling' }),
    ],
    [
      'save match criteria',
      (s, a) => s.saveMatchCriteria(a, 'CUSTOMER', { fields: [{ bcField: 'City', match: true }] }),
    ],
    ['reset match criteria', (s, a) => s.resetMatchCriteria(a, 'CUSTOMER')],
    ['reset to defaults', (s, a) => s.resetToDefaults(a, 'CUSTOMER')],
    ['set high-water marks', (s, a) => s.setHighWaterMarks(a, 'CUSTOMER', { bc: new Date(0) })],
  ];

  it.each(changes)('a non-manager who tries to %s is refused and nothing changes', async (_what, change) => {
    const { mappings, audit } = services(db);
    const before = await db.collection('mappings').findOne({ name: 'CUSTOMER' });
    const e = await errorOf(change(mappings, eve));
    expect(e.code).toBe(ErrorCode.Forbidden);
    expect(e.message).toMatch(/^Only managers can change table mappings\./);
    expect(await db.collection('mappings').findOne({ name: 'CUSTOMER' })).toEqual(before);
    expect(await audit.list()).toEqual([]);
  });

  it('an edit made on an older version is refused, naming who changed it meanwhile', async () => {
    const { mappings } = services(db);
    await mappings.setSyncOnlyCoupled(bob, 'CUSTOMER', false, 0);
    const e = await errorOf(mappings.setDirection(alice, 'CUSTOMER', 'ToIntegrationTable', 0));
    expect(e.code).toBe(ErrorCode.StaleState);
    expect(e.message).toBe(
      'Table mapping CUSTOMER was changed by Bob Manager meanwhile (it is now at version 1). ' +
        'Reload it and try again; nothing was changed.',
    );
    expect((await mappings.get('CUSTOMER')).direction).toBe('Bidirectional');
  });

  it('two managers editing the same version at once: exactly one wins, the other is told', async () => {
    const a = services(db).mappings;
    const b = services(db).mappings;
    const results = await Promise.allSettled([
      a.setDirection(alice, 'VENDOR', 'ToIntegrationTable', 0),
      b.setDirection(bob, 'VENDOR', 'FromIntegrationTable', 0),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect([won.length, lost.length]).toEqual([1, 1]);
    expect((lost[0]!.reason as DomainError).code).toBe(ErrorCode.StaleState);
    const stored = await a.get('VENDOR');
    expect(stored.version).toBe(1);
    expect((lost[0]!.reason as DomainError).message).toContain(`changed by ${stored.updatedBy} meanwhile`);
  });

  it.each([
    [
      'an unknown direction',
      (s: ReturnType<typeof services>['mappings']) => s.setDirection(alice, 'CUSTOMER', 'sideways'),
      /^Direction must be one of: Bidirectional, ToIntegrationTable, FromIntegrationTable/,
    ],
    [
      'a non-boolean switch',
      (s: ReturnType<typeof services>['mappings']) =>
        s.setSyncOnlyCoupled(alice, 'CUSTOMER', 'yes' as unknown as boolean),
      /Synch\. Only Coupled Records must be on or off/,
    ],
    [
      'an unknown conflict setting',
      (s: ReturnType<typeof services>['mappings']) =>
        s.setConflictResolution(alice, 'CUSTOMER', { update: 'Always' }),
      /^Resolve Update Conflicts must be one of: None,/,
    ],
    [
      'no conflict setting at all',
      (s: ReturnType<typeof services>['mappings']) => s.setConflictResolution(alice, 'CUSTOMER', {}),
      /Say which conflict setting/,
    ],
    [
      'an invalid high-water mark',
      (s: ReturnType<typeof services>['mappings']) =>
        s.setHighWaterMarks(alice, 'CUSTOMER', { bc: 'yesterday' as unknown as Date }),
      /high-water mark must be a date/,
    ],
    [
      'an operator object as match criteria',
      (s: ReturnType<typeof services>['mappings']) =>
        s.saveMatchCriteria(alice, 'CUSTOMER', { fields: { $gt: '' } }),
      /Match criteria/,
    ],
  ])('%s is InvalidInput and changes nothing', async (_what, change, message) => {
    const { mappings, audit } = services(db);
    const before = await mappings.get('CUSTOMER');
    const e = await errorOf(change(mappings));
    expect(e.code).toBe(ErrorCode.InvalidInput);
    expect(e.message).toMatch(message);
    expect(await mappings.get('CUSTOMER')).toEqual(before);
    expect(await audit.list()).toEqual([]);
  });

  it('a change to the value it already has writes nothing and bumps no version', async () => {
    const { mappings, audit } = services(db);
    const same = await mappings.setDirection(alice, 'CUSTOMER', 'Bidirectional');
    expect(same.version).toBe(0);
    expect(await audit.list()).toEqual([]);
  });
});

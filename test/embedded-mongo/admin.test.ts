import { MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDb, type TestDb } from '../support/test-mongo.js';

describe('embedded-mongo administrative commands through the official driver', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await useTestDb();
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('answers hello like a standalone mongod', async () => {
    const hello = await t.db.admin().command({ hello: 1 });
    expect(hello).toMatchObject({ isWritablePrimary: true, maxWireVersion: 21, minWireVersion: 0, ok: 1 });
    expect(hello.logicalSessionTimeoutMinutes).toBe(30);
    expect(hello.maxWriteBatchSize).toBe(100000);
    expect(hello).not.toHaveProperty('setName');
    expect(hello).not.toHaveProperty('topologyVersion');
    expect(await t.db.admin().command({ isMaster: 1 })).toMatchObject({ ismaster: true });
    expect((await t.db.admin().command({ buildInfo: 1 })).version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('creates, lists and drops collections', async () => {
    await t.db.createCollection('adm_a');
    await expect(t.db.createCollection('adm_a')).rejects.toMatchObject({ code: 48 });
    await t.db.collection('adm_b').insertOne({ x: 1 });
    const names = (await t.db.listCollections().toArray()).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['adm_a', 'adm_b']));
    expect(await t.db.listCollections({ name: 'adm_b' }, { nameOnly: true }).toArray()).toEqual([
      { name: 'adm_b', type: 'collection' },
    ]);
    expect(await t.db.dropCollection('adm_a')).toBe(true);
    expect((await t.db.listCollections().toArray()).map((c) => c.name)).not.toContain('adm_a');
  });

  it('lists and drops databases', async () => {
    const other = t.client.db(`${t.db.databaseName}_other`);
    await other.collection('x').insertOne({ a: 1 });
    const { databases } = await t.client.db('admin').admin().listDatabases();
    expect(databases.map((d) => d.name)).toContain(other.databaseName);
    await other.dropDatabase();
    const after = await t.client.db('admin').admin().listDatabases({ nameOnly: true });
    expect(after.databases.map((d) => d.name)).not.toContain(other.databaseName);
  });

  it('creates, lists and drops single-field and compound indexes', async () => {
    const c = t.db.collection('adm_idx');
    expect(await c.createIndex({ email: 1 }, { unique: true })).toBe('email_1');
    expect(await c.createIndex({ a: 1, b: -1 }, { name: 'ab' })).toBe('ab');
    expect(await c.createIndex({ email: 1 }, { unique: true })).toBe('email_1');
    const list = await c.listIndexes().toArray();
    expect(list.map((i) => [i.name, i.key, i.unique ?? false])).toEqual([
      ['_id_', { _id: 1 }, false],
      ['email_1', { email: 1 }, true],
      ['ab', { a: 1, b: -1 }, false],
    ]);
    await c.dropIndex('ab');
    await expect(c.dropIndex('ab')).rejects.toMatchObject({ code: 27 });
    await expect(c.dropIndex('_id_')).rejects.toBeInstanceOf(MongoServerError);
    await c.dropIndexes();
    expect((await c.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
  });

  it('refuses an index whose key is not 1, -1 or hashed', async () => {
    await expect(t.db.collection('adm_bad').createIndex({ a: 'text' })).rejects.toBeInstanceOf(
      MongoServerError,
    );
  });

  it('answers the informational commands mongosh and Compass send on connect', async () => {
    await t.db.collection('adm_stats').insertMany([{ a: 1 }, { a: 2 }]);
    expect(await t.db.admin().command({ serverStatus: 1 })).toMatchObject({ ok: 1, pid: expect.any(Number) });
    expect(await t.db.command({ dbStats: 1 })).toMatchObject({ ok: 1, db: t.db.databaseName });
    expect(await t.db.command({ collStats: 'adm_stats' })).toMatchObject({ ok: 1, count: 2, nindexes: 1 });
    for (const cmd of ['connectionStatus', 'hostInfo', 'getCmdLineOpts', 'getParameter', 'getLog']) {
      expect(await t.db.admin().command({ [cmd]: 1 })).toMatchObject({ ok: 1 });
    }
  });

  it('answers an unknown command with code 59 naming it', async () => {
    const err = await t.db.command({ frobnicate: 1 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 59, codeName: 'CommandNotFound' });
    expect((err as Error).message).toContain('frobnicate');
  });

  it('refuses transactions with code 20 like a standalone mongod', async () => {
    const session = t.client.startSession();
    try {
      session.startTransaction();
      const err = await t.db
        .collection('adm_txn')
        .insertOne({ a: 1 }, { session })
        .catch((e: unknown) => e);
      // For writes the driver wraps code 20 in its "does not support retryable writes" error, as with mongod.
      expect((err as { originalError?: { code?: number } }).originalError?.code).toBe(20);
      const readErr = await t.db
        .collection('adm_txn')
        .findOne({}, { session })
        .catch((e: unknown) => e);
      expect(readErr).toMatchObject({ code: 20 });
      expect((readErr as Error).message).toContain(
        'Transaction numbers are only allowed on a replica set member or mongos',
      );
    } finally {
      await session.endSession();
    }
    expect(await t.db.collection('adm_txn').countDocuments()).toBe(0);
  });

  it('refuses raw transaction fields on any command', async () => {
    await expect(
      t.db.command({ find: 'adm_txn', txnNumber: 1, autocommit: false, startTransaction: true }),
    ).rejects.toMatchObject({ code: 20 });
  });
});

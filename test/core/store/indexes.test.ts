import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS, ensureCollection } from '../../../core/store/collections.js';
import { isDuplicateKeyError } from '../../../core/store/documents.js';
import { ensureIndexes } from '../../../core/store/indexes.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';

/** Store contract: runs on embedded-mongo, and on real MongoDB when MONGODB_URI is set. */
let t: TestDb;
beforeAll(async () => {
  t = await useTestDb();
});
afterAll(async () => {
  await t.cleanup();
});

const indexNames = async (collection: string) =>
  (await t.db.collection(collection).listIndexes().toArray()).map((i) => i.name as string).sort();

describe('ensureIndexes', () => {
  it('creates every registered collection with its indexes, and a second run changes nothing', async () => {
    await ensureIndexes(t.db);
    const first = {
      collections: (await t.db.listCollections().toArray()).map((c) => c.name).sort(),
      jobs: await indexNames(COLLECTIONS.jobs),
      mappings: await indexNames(COLLECTIONS.mappings),
    };
    await ensureIndexes(t.db);
    expect(first.collections).toEqual(
      expect.arrayContaining(['mappings', 'jobs', 'audit', 'conversations', 'cardRefs']),
    );
    expect(first.jobs).toEqual([
      '_id_',
      'id_unique',
      'mapping_startedAt',
      'startedAt',
      'startedById_status_startedAt',
      'status_lastActivityAt',
    ]);
    expect(first.mappings).toEqual(['_id_', 'bcTable', 'name_unique']);
    expect((await t.db.listCollections().toArray()).map((c) => c.name).sort()).toEqual(first.collections);
    expect(await indexNames(COLLECTIONS.jobs)).toEqual(first.jobs);
  });

  it('is safe when two instances start at the same moment', async () => {
    const other = await new MongoClient(t.uri).connect();
    try {
      const db2 = other.db(t.db.databaseName);
      await Promise.all([ensureIndexes(t.db), ensureIndexes(db2), ensureCollection(db2, 'brandNew')]);
      await ensureCollection(t.db, 'brandNew');
      const names = (await t.db.listCollections({ name: 'brandNew' }).toArray()).map((c) => c.name);
      expect(names).toEqual(['brandNew']);
    } finally {
      await other.close();
    }
  });

  it.each([
    [COLLECTIONS.mappings, { name: 'CUSTOMER' }],
    [COLLECTIONS.jobs, { id: 'job-1' }],
    [COLLECTIONS.audit, { id: 'audit-1' }],
    [COLLECTIONS.conversations, { conversationId: 'conv-1' }],
    [COLLECTIONS.cardRefs, { key: 'matchRun:1', conversationId: 'c', activityId: 'a' }],
  ])('the unique index of %s refuses a second document with the same key', async (collection, key) => {
    await ensureIndexes(t.db);
    const col = t.db.collection(collection);
    await col.insertOne({ ...key, n: 1 });
    const error = await col.insertOne({ ...key, n: 2 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isDuplicateKeyError(error)).toBe(true);
    expect(await col.countDocuments(key)).toBe(1);
    const bulk = await col.insertMany([{ ...key, n: 3 }], { ordered: false }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isDuplicateKeyError(bulk)).toBe(true);
    expect(await col.countDocuments(key)).toBe(1);
  });
});

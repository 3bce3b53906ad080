import { MongoServerError, ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDb, type TestDb } from '../support/test-mongo.js';

describe('embedded-mongo through the official driver (smoke)', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await useTestDb();
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('answers ping', async () => {
    expect(await t.db.command({ ping: 1 })).toMatchObject({ ok: 1 });
  });

  it('inserts, finds, updates and deletes documents', async () => {
    const c = t.db.collection('smoke');
    const { insertedId } = await c.insertOne({ name: 'a', n: 1 });
    expect(insertedId).toBeInstanceOf(ObjectId);
    await c.insertMany([
      { name: 'b', n: 2 },
      { name: 'c', n: 3 },
    ]);
    expect(
      await c
        .find({ n: { $gte: 2 } })
        .sort({ n: -1 })
        .toArray(),
    ).toMatchObject([{ name: 'c' }, { name: 'b' }]);
    const upd = await c.updateOne({ name: 'a' }, { $inc: { n: 10 } });
    expect(upd).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect(await c.findOne({ name: 'a' })).toMatchObject({ n: 11 });
    expect((await c.deleteMany({ n: { $lt: 5 } })).deletedCount).toBe(2);
    expect(await c.countDocuments()).toBe(1);
  });

  it('rejects a duplicate on a unique index with code 11000', async () => {
    const c = t.db.collection('smoke_unique');
    await c.createIndex({ email: 1 }, { unique: true });
    await c.insertOne({ email: 'x@y' });
    const err = await c.insertOne({ email: 'x@y' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect((err as MongoServerError).code).toBe(11000);
  });
});

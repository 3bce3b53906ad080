import { MongoBulkWriteError, MongoServerError, ObjectId, type Collection } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useTestDb, type LooseDoc, type TestDb } from '../support/test-mongo.js';

async function failure(p: Promise<unknown>): Promise<MongoServerError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof MongoServerError)) throw new Error(`expected a MongoServerError, got ${String(err)}`);
  return err;
}

describe('embedded-mongo duplicate keys through the official driver', () => {
  let t: TestDb;
  let c: Collection<LooseDoc>;
  beforeAll(async () => {
    t = await useTestDb();
  });
  afterAll(async () => {
    await t.cleanup();
  });
  beforeEach(async () => {
    c = t.db.collection<LooseDoc>(`dup_${new ObjectId().toHexString()}`);
    await c.createIndex({ email: 1 }, { unique: true });
    await c.insertOne({ _id: 1, email: 'a@x' });
  });

  it('rejects a duplicate _id with a mongod-shaped E11000 error', async () => {
    const err = await failure(c.insertOne({ _id: 1, email: 'other' }));
    expect(err.code).toBe(11000);
    expect(err.message).toBe(
      `E11000 duplicate key error collection: test.${c.collectionName} index: _id_ dup key: { _id: 1 }`,
    );
    expect(err.keyPattern).toEqual({ _id: 1 });
    expect(err.keyValue).toEqual({ _id: 1 });
  });

  it('rejects a duplicate on a unique secondary index and keeps the original', async () => {
    const err = await failure(c.insertOne({ _id: 2, email: 'a@x' }));
    expect(err.message).toContain(`index: email_1 dup key: { email: "a@x" }`);
    expect(err.keyValue).toEqual({ email: 'a@x' });
    expect(await c.countDocuments()).toBe(1);
  });

  it('rejects an update that would create a duplicate', async () => {
    await c.insertOne({ _id: 2, email: 'b@x' });
    const err = await failure(c.updateOne({ _id: 2 }, { $set: { email: 'a@x' } }));
    expect(err.code).toBe(11000);
    expect(await c.findOne({ _id: 2 })).toEqual({ _id: 2, email: 'b@x' });
  });

  it('stops an ordered bulk insert at the first duplicate', async () => {
    const err = await failure(c.insertMany([{ email: 'n1' }, { email: 'a@x' }, { email: 'n2' }]));
    expect(err).toBeInstanceOf(MongoBulkWriteError);
    const bulk = err as MongoBulkWriteError;
    expect([bulk.writeErrors].flat()).toHaveLength(1);
    expect([bulk.writeErrors].flat()[0]?.index).toBe(1);
    expect([bulk.writeErrors].flat()[0]?.code).toBe(11000);
    expect(bulk.result.insertedCount).toBe(1);
    expect((await c.find({}).toArray()).map((d) => d.email).sort()).toEqual(['a@x', 'n1']);
  });

  it('continues an unordered bulk insert past duplicates', async () => {
    const err = (await failure(
      c.insertMany([{ email: 'a@x' }, { email: 'n1' }, { email: 'n1' }, { email: 'n2' }], { ordered: false }),
    )) as MongoBulkWriteError;
    expect([err.writeErrors].flat().map((e) => e.index)).toEqual([0, 2]);
    expect(err.result.insertedCount).toBe(2);
    expect(await c.countDocuments()).toBe(3);
  });

  it('enforces compound unique indexes on the whole key only', async () => {
    const k = t.db.collection<LooseDoc>(`dupk_${new ObjectId().toHexString()}`);
    await k.createIndex({ table: 1, no: 1 }, { unique: true });
    await k.insertMany([
      { table: 'customer', no: '10' },
      { table: 'vendor', no: '10' },
    ]);
    const err = await failure(k.insertOne({ table: 'customer', no: '10' }));
    expect(err.message).toContain('dup key: { table: "customer", no: "10" }');
    expect(err.keyPattern).toEqual({ table: 1, no: 1 });
  });

  it('fails to build a unique index over existing duplicates, leaving no index', async () => {
    const k = t.db.collection<LooseDoc>(`dupb_${new ObjectId().toHexString()}`);
    await k.insertMany([{ v: 1 }, { v: 1 }]);
    expect((await failure(k.createIndex({ v: 1 }, { unique: true }))).code).toBe(11000);
    expect((await k.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
  });

  it('reports bulkWrite update duplicates at the right index', async () => {
    await c.insertOne({ _id: 2, email: 'b@x' });
    const err = (await failure(
      c.bulkWrite(
        [
          { updateOne: { filter: { _id: 2 }, update: { $set: { x: 1 } } } },
          { updateOne: { filter: { _id: 2 }, update: { $set: { email: 'a@x' } } } },
        ],
        { ordered: true },
      ),
    )) as MongoBulkWriteError;
    expect([err.writeErrors].flat().map((e) => [e.index, e.code])).toEqual([[1, 11000]]);
  });
});

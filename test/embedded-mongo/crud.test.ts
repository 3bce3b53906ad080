import type { Collection } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useTestDb, type LooseDoc, type TestDb } from '../support/test-mongo.js';

describe('embedded-mongo CRUD commands through the official driver', () => {
  let t: TestDb;
  let c: Collection<LooseDoc>;
  beforeAll(async () => {
    t = await useTestDb();
  });
  afterAll(async () => {
    await t.cleanup();
  });
  beforeEach(async () => {
    c = t.db.collection<LooseDoc>(`crud_${Math.random().toString(36).slice(2)}`);
    await c.insertMany([
      { _id: 1, name: 'ann', age: 30, tags: ['a', 'b'], addr: { city: 'Gent' } },
      { _id: 2, name: 'bob', age: 25, tags: ['b'], addr: { city: 'Leuven' } },
      { _id: 3, name: 'cid', age: 35, tags: [], addr: { city: 'Gent' } },
      { _id: 4, name: 'dee', age: 25, tags: ['c'] },
    ]);
  });

  it('finds with filter, sort, projection, skip and limit', async () => {
    const docs = await c
      .find({ age: { $gte: 25 } }, { projection: { name: 1, _id: 0 } })
      .sort({ age: -1, name: 1 })
      .skip(1)
      .limit(2)
      .toArray();
    expect(docs).toEqual([{ name: 'ann' }, { name: 'bob' }]);
  });

  it.each([
    [{ 'addr.city': 'Gent' }, [1, 3]],
    [{ tags: 'b' }, [1, 2]],
    [{ tags: { $size: 0 } }, [3]],
    [{ addr: { $exists: false } }, [4]],
    [{ $or: [{ name: 'bob' }, { age: 35 }] }, [2, 3]],
    [{ name: { $in: ['dee', 'ann'] } }, [1, 4]],
    [{ name: /^c/ }, [3]],
  ])('matches %j', async (filter, ids) => {
    const docs = await c.find(filter).sort({ _id: 1 }).toArray();
    expect(docs.map((d) => d._id)).toEqual(ids);
  });

  it('returns a cursor larger than one batch through getMore', async () => {
    const big = t.db.collection<LooseDoc>('crud_big');
    await big.insertMany(Array.from({ length: 1050 }, (_, i) => ({ i })));
    const seen = await big.find({}, { batchSize: 100 }).sort({ i: 1 }).toArray();
    expect(seen).toHaveLength(1050);
    expect(seen.map((d) => d.i)).toEqual(Array.from({ length: 1050 }, (_, i) => i));
    const agg = await big.aggregate([{ $match: { i: { $lt: 500 } } }], { batchSize: 10 }).toArray();
    expect(agg).toHaveLength(500);
  });

  it('returns int64 cursor ids and closes cursors with killCursors', async () => {
    const big = t.db.collection<LooseDoc>('crud_kill');
    await big.insertMany(Array.from({ length: 20 }, (_, i) => ({ i })));
    const reply = await t.db.command({ find: 'crud_kill', batchSize: 5 });
    const id = reply.cursor.id;
    expect(typeof id === 'bigint' || id?._bsontype === 'Long' || typeof id === 'number').toBe(true);
    const more = await t.db.command({ getMore: id, collection: 'crud_kill', batchSize: 5 });
    expect(more.cursor.nextBatch).toHaveLength(5);
    const killed = await t.db.command({ killCursors: 'crud_kill', cursors: [id] });
    expect(killed.cursorsKilled).toHaveLength(1);
    await expect(t.db.command({ getMore: id, collection: 'crud_kill' })).rejects.toMatchObject({ code: 43 });
  });

  it('honours singleBatch and a negative limit', async () => {
    const reply = await t.db.command({ find: c.collectionName, batchSize: 2, singleBatch: true });
    expect(reply.cursor.firstBatch).toHaveLength(2);
    expect(Number(reply.cursor.id)).toBe(0);
  });

  it('updates with operators, multi and replacement', async () => {
    const many = await c.updateMany({ age: 25 }, { $inc: { age: 1 }, $push: { tags: 'x' } as never });
    expect(many).toMatchObject({ matchedCount: 2, modifiedCount: 2 });
    expect(await c.countDocuments({ age: 26 })).toBe(2);
    const same = await c.updateOne({ _id: 1 }, { $set: { name: 'ann' } });
    expect(same).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
    await c.replaceOne({ _id: 3 }, { name: 'cyd' });
    expect(await c.findOne({ _id: 3 })).toEqual({ _id: 3, name: 'cyd' });
    await c.updateOne({ _id: 1 }, { $unset: { addr: '' }, $rename: { name: 'first' } });
    expect(await c.findOne({ _id: 1 })).toEqual({ _id: 1, age: 30, tags: ['a', 'b'], first: 'ann' });
  });

  it('upserts seeded from equality filters with $setOnInsert only on insert', async () => {
    const r = await c.updateOne(
      { name: 'eve', 'addr.city': 'Brugge' },
      { $set: { age: 40 }, $setOnInsert: { created: true } },
      { upsert: true },
    );
    expect(r.upsertedCount).toBe(1);
    const doc = await c.findOne({ _id: r.upsertedId! });
    expect(doc).toMatchObject({ name: 'eve', addr: { city: 'Brugge' }, age: 40, created: true });
    const again = await c.updateOne(
      { name: 'eve' },
      { $set: { age: 41 }, $setOnInsert: { created: false } },
      { upsert: true },
    );
    expect(again).toMatchObject({ matchedCount: 1, upsertedCount: 0 });
    expect(await c.findOne({ name: 'eve' })).toMatchObject({ age: 41, created: true });
  });

  it('upserts a document whose _id comes from the filter, as mongod does', async () => {
    const r = await c.updateOne({ _id: 'settings' }, { $set: { theme: 'dark' } }, { upsert: true });
    expect(r).toMatchObject({ upsertedCount: 1, upsertedId: 'settings' });
    expect(await c.findOne({ _id: 'settings' })).toEqual({ _id: 'settings', theme: 'dark' });
    const doc = await c.findOneAndUpdate(
      { _id: 'counter' },
      { $inc: { n: 1 } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(doc).toEqual({ _id: 'counter', n: 1 });
  });

  it('refuses to change _id', async () => {
    await expect(c.updateOne({ _id: 1 }, { $set: { _id: 9 } })).rejects.toMatchObject({ code: 66 });
  });

  it('applies arrayFilters', async () => {
    await c.insertOne({ _id: 10, grades: [{ g: 80 }, { g: 95 }, { g: 99 }] });
    await c.updateOne(
      { _id: 10 },
      { $set: { 'grades.$[hi].top': true } },
      { arrayFilters: [{ 'hi.g': { $gte: 95 } }] },
    );
    expect((await c.findOne({ _id: 10 }))?.grades).toEqual([
      { g: 80 },
      { g: 95, top: true },
      { g: 99, top: true },
    ]);
  });

  it('deletes one or many', async () => {
    expect((await c.deleteOne({ age: 25 })).deletedCount).toBe(1);
    expect((await c.deleteMany({})).deletedCount).toBe(3);
    expect(await c.countDocuments()).toBe(0);
  });

  it('findAndModify: sort, new, fields, upsert and remove', async () => {
    const before = await c.findOneAndUpdate({ age: 25 }, { $set: { seen: 1 } }, { sort: { name: -1 } });
    expect(before).toMatchObject({ _id: 4, name: 'dee' });
    expect(before).not.toHaveProperty('seen');
    const after = await c.findOneAndUpdate(
      { _id: 2 },
      { $inc: { age: 5 } },
      { returnDocument: 'after', projection: { age: 1 } },
    );
    expect(after).toEqual({ _id: 2, age: 30 });
    const upserted = await c.findOneAndUpdate(
      { name: 'zed' },
      { $set: { age: 1 } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(upserted).toMatchObject({ name: 'zed', age: 1 });
    const removed = await c.findOneAndDelete({ name: 'ann' });
    expect(removed).toMatchObject({ _id: 1 });
    expect(await c.findOne({ _id: 1 })).toBeNull();
    expect(await c.findOneAndUpdate({ name: 'nobody' }, { $set: { a: 1 } })).toBeNull();
    const replaced = await c.findOneAndReplace({ _id: 3 }, { name: 'new' }, { returnDocument: 'after' });
    expect(replaced).toEqual({ _id: 3, name: 'new' });
  });

  it('counts and lists distinct values', async () => {
    expect(await c.countDocuments({ age: 25 })).toBe(2);
    expect(await c.estimatedDocumentCount()).toBe(4);
    expect((await c.distinct('tags')).sort()).toEqual(['a', 'b', 'c']);
    expect((await c.distinct('age', { 'addr.city': 'Gent' })).sort()).toEqual([30, 35]);
  });

  it('handles concurrent writers without losing updates', async () => {
    const counter = t.db.collection<LooseDoc>('crud_counter');
    await counter.insertOne({ _id: 'k', n: 0 });
    await Promise.all(Array.from({ length: 200 }, () => counter.updateOne({ _id: 'k' }, { $inc: { n: 1 } })));
    await Promise.all(Array.from({ length: 50 }, (_, i) => counter.insertOne({ i })));
    expect(await counter.findOne({ _id: 'k' })).toEqual({ _id: 'k', n: 200 });
    expect(await counter.countDocuments({ i: { $exists: true } })).toBe(50);
  });
});

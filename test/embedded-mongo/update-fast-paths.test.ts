import type { Collection } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useTestDb, type LooseDoc, type TestDb } from '../support/test-mongo.js';

/** Shapes the server answers without mingo's general machinery must keep mongod's results. */
describe('embedded-mongo common statement shapes', () => {
  let t: TestDb;
  let c: Collection<LooseDoc>;
  beforeAll(async () => {
    t = await useTestDb();
  });
  afterAll(async () => {
    await t.cleanup();
  });
  beforeEach(async () => {
    c = t.db.collection<LooseDoc>(`fast_${Math.random().toString(36).slice(2)}`);
    await c.insertMany([
      { _id: 'a', etag: '1', n: 1, sub: { x: 1, y: 2 }, tags: ['red', 'blue'] },
      { _id: 'b', etag: '1', n: 2, sub: { x: 1, y: 2 }, tags: [] },
    ]);
  });

  it('a plain $set keeps the field order, appends new fields and changes only its fields', async () => {
    const res = await c.updateOne({ _id: 'a' }, { $set: { n: 5, added: 'z' } });
    expect([res.matchedCount, res.modifiedCount]).toEqual([1, 1]);
    const doc = await c.findOne({ _id: 'a' });
    expect(Object.keys(doc ?? {})).toEqual(['_id', 'etag', 'n', 'sub', 'tags', 'added']);
    expect(doc).toMatchObject({ n: 5, added: 'z', sub: { x: 1, y: 2 } });
    expect(await c.findOne({ _id: 'b' })).toMatchObject({ n: 2 });
  });

  it.each([
    ['the same values', { n: 1, sub: { x: 1, y: 2 } }, 0],
    ['a sub-document with its fields in another order', { sub: { y: 2, x: 1 } }, 1],
    ['one value changed among equal ones', { n: 1, tags: ['red'] }, 1],
  ])('a plain $set of %s reports modified %i', async (_label, set, modified) => {
    const res = await c.updateOne({ _id: 'a' }, { $set: set });
    expect([res.matchedCount, res.modifiedCount]).toEqual([1, modified]);
    expect(await c.findOne({ _id: 'a' })).toMatchObject(set);
  });

  it('a compare-and-set replace lands only on the expected etag', async () => {
    const res = await c.bulkWrite(
      [
        { replaceOne: { filter: { _id: 'a', etag: '1' }, replacement: { etag: '2', n: 10 } } },
        { replaceOne: { filter: { _id: 'b', etag: '0' }, replacement: { etag: '2', n: 20 } } },
      ],
      { ordered: false },
    );
    expect([res.matchedCount, res.modifiedCount]).toEqual([1, 1]);
    expect(await c.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 'a', etag: '2', n: 10 },
      { _id: 'b', etag: '1', n: 2, sub: { x: 1, y: 2 }, tags: [] },
    ]);
  });

  it('an equality on text next to an _id look-up also matches an array holding the text', async () => {
    const found = await c.find({ _id: { $in: ['a', 'b'] }, tags: 'blue' }).toArray();
    expect(found.map((d) => d._id)).toEqual(['a']);
  });

  it('finds exactly the documents named by an $in of thousands of ids', async () => {
    const many = t.db.collection<LooseDoc>(`fast_many_${Math.random().toString(36).slice(2)}`);
    await many.insertMany(Array.from({ length: 6000 }, (_, i) => ({ _id: `k${i}`, i })));
    const wanted = Array.from({ length: 4000 }, (_, i) => `k${i * 2}`).concat(['missing', 'k0']);
    const found = await many.find({ _id: { $in: wanted }, i: { $lt: 5000 } }).toArray();
    expect(found.map((d) => d.i).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 2500 }, (_, i) => i * 2),
    );
  });

  it('an inclusion projection returns the named fields in the document order, _id unless turned off', async () => {
    const withId = await c.findOne({ _id: 'a' }, { projection: { tags: 1, n: true } });
    expect(Object.keys(withId ?? {})).toEqual(['_id', 'n', 'tags']);
    expect(await c.findOne({ _id: 'a' }, { projection: { _id: 0, n: 1 } })).toEqual({ n: 1 });
  });

  it.each([
    [2, ['r0', 'r1']],
    [-2, ['r4', 'r5']],
    [
      [1, 3],
      ['r1', 'r2', 'r3'],
    ],
    [
      [-2, 5],
      ['r4', 'r5'],
    ],
    [[9, 2], []],
  ])('$slice %j next to inclusions cuts the array as mongod does', async (slice, rows) => {
    await c.insertOne({ _id: 'p', start: 0, rows: ['r0', 'r1', 'r2', 'r3', 'r4', 'r5'], other: 1 });
    const doc = await c.findOne({ _id: 'p' }, { projection: { start: 1, rows: { $slice: slice } } });
    expect(doc).toEqual({ _id: 'p', start: 0, rows });
    const scalar = await c.findOne({ _id: 'p' }, { projection: { rows: 1, other: { $slice: 1 } } });
    expect(scalar).toEqual({ _id: 'p', rows: ['r0', 'r1', 'r2', 'r3', 'r4', 'r5'], other: 1 });
  });
});

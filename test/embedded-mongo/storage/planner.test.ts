import { Decimal128, type Document } from 'bson';
import { Query } from 'mingo';
import { beforeAll, describe, expect, it } from 'vitest';
import { Collection } from '../../../embedded-mongo/storage/collection.js';
import { plan, planCandidates } from '../../../embedded-mongo/storage/planner.js';
import { matching } from '../../../embedded-mongo/query.js';

describe('query planning on embedded-mongo indexes', () => {
  const coll = new Collection('db', 'c');
  beforeAll(() => {
    coll.createIndex({ name: 'k_1', key: { k: 1 } });
    coll.createIndex({ name: 'a_b', key: { a: 1, b: 1 } });
    coll.createIndex({ name: 'sparse', key: { s: 1 }, sparse: true });
    for (let i = 0; i < 1000; i++) {
      coll.insert({ _id: i, k: `k${i % 100}`, a: i % 10, b: i % 7, s: i % 2 ? 1 : undefined, tags: [i % 3] });
    }
  });

  it.each([
    ['an equality on an indexed field', { k: 'k5' }, 10],
    ['$eq on an indexed field', { k: { $eq: 'k5' } }, 10],
    ['$in on an indexed field', { k: { $in: ['k5', 'k6'] } }, 20],
    ['the prefix of a compound index', { a: 3 }, 100],
    ['the whole compound key', { a: 3, b: 2 }, 15],
    ['an equality inside $and', { $and: [{ k: 'k1' }, { x: { $gt: 1 } }] }, 10],
    ['_id equality', { _id: 42 }, 1],
  ])('uses the index for %s instead of scanning', (_label, filter, expected) => {
    const candidates = planCandidates(coll, filter);
    expect(candidates).toBeDefined();
    expect(candidates!.length).toBeLessThanOrEqual(expected);
    expect(candidates!.length).toBeGreaterThan(0);
  });

  it.each([
    ['a field without an index', { tags: 1 }],
    ['only the second field of a compound index', { b: 2 }],
    ['a range', { k: { $gt: 'k1' } }],
    ['a regex', { k: /k1/ }],
    ['a sparse index (it omits documents)', { s: 1 }],
  ])('falls back to a scan for %s', (_label, filter) => {
    expect(planCandidates(coll, filter)).toBeUndefined();
  });

  it('finds index entries for equal numbers of different BSON types', () => {
    const n = new Collection('db', 'n');
    n.createIndex({ name: 'v_1', key: { v: 1 } });
    n.insert({ _id: 1, v: Decimal128.fromString('5.00') });
    expect(planCandidates(n, { v: 5 })?.map((d) => d._id)).toEqual([1]);
  });

  it('keeps index entries in step with replace and remove', () => {
    const r = new Collection('db', 'r');
    r.createIndex({ name: 'k_1', key: { k: 1 } });
    r.insert({ _id: 1, k: 'old' });
    r.replace({ _id: 1, k: 'new' });
    expect(planCandidates(r, { k: 'old' })).toEqual([]);
    expect(planCandidates(r, { k: 'new' })?.map((d) => d._id)).toEqual([1]);
    r.remove(1);
    expect(planCandidates(r, { k: 'new' })).toEqual([]);
  });

  it.each([
    ['an _id $in', { _id: { $in: [1, 2] }, k: 'k1' }, { k: 'k1' }],
    ['a top-level field of the index', { k: { $in: ['k1', 'k2'] }, a: { $gt: 1 } }, { a: { $gt: 1 } }],
    ['the whole compound key', { a: 3, b: { $in: [1, 2] } }, {}],
    ['nothing when the value is null (null also matches an empty array)', { k: null }, { k: null }],
    ['nothing inside $and', { $and: [{ k: 'k1' }] }, { $and: [{ k: 'k1' }] }],
  ])('leaves to the re-check only what the look-up did not answer: %s', (_label, filter, residual) => {
    expect(plan(coll, filter)?.residual).toEqual(residual);
  });

  it('returns each document once when an $in names it twice', () => {
    expect(planCandidates(coll, { _id: { $in: [7, 7, 7.0] } })?.map((d) => d._id)).toEqual([7]);
  });

  it('answers an $in of thousands of values on a compound index through the index', () => {
    const c = new Collection('db', 'big');
    c.createIndex({ name: 'm_id', key: { m: 1, x: 1 } });
    for (let i = 0; i < 5000; i++) c.insert({ _id: i, m: i % 2 ? 'odd' : 'even', x: `x${i}` });
    const wanted = Array.from({ length: 3000 }, (_, i) => `x${i}`);
    const found = matching(c, { m: 'odd', x: { $in: wanted } }).map((d) => d._id);
    expect(planCandidates(c, { m: 'odd', x: { $in: wanted } })).toHaveLength(1500);
    expect(found).toEqual(Array.from({ length: 1500 }, (_, i) => 2 * i + 1));
  });

  it('still re-checks the conditions the look-up did not answer', () => {
    const found = matching(coll, { _id: { $in: [1, 2, 3, 4] }, a: { $gte: 3 } }).map((d) => d._id);
    expect(found).toEqual([3, 4]);
    expect(matching(coll, { k: null })).toEqual([]);
  });

  it('rewrites on replace only the index entries whose keys moved, and refuses a clash there', () => {
    const r = new Collection('db', 'moves');
    r.createIndex({ name: 'u_1', key: { u: 1 }, unique: true });
    r.createIndex({ name: 'k_1', key: { k: 1 } });
    r.insert({ _id: 1, u: 'a', k: 'x', n: 1 });
    r.insert({ _id: 2, u: 'b', k: 'x', n: 1 });
    r.replace({ _id: 1, u: 'a', k: 'x', n: 2 });
    r.replace({ _id: 2, u: 'b', k: 'y', n: 2 });
    expect(planCandidates(r, { u: 'a' })?.map((d) => d.n)).toEqual([2]);
    expect(planCandidates(r, { k: 'x' })?.map((d) => d._id)).toEqual([1]);
    expect(planCandidates(r, { k: 'y' })?.map((d) => d._id)).toEqual([2]);
    expect(() => r.replace({ _id: 2, u: 'a', k: 'z' })).toThrow(/duplicate key/);
    expect(planCandidates(r, { k: 'y' })?.map((d) => d._id)).toEqual([2]);
    expect(planCandidates(r, { k: 'z' })).toEqual([]);
  });

  describe('$or over indexed fields (index union)', () => {
    const scan = (filter: Document) =>
      [...coll.docs.values()].filter((d) => new Query(filter).test(d)).map((d) => d._id as number);
    const ids = (docs: Document[] | undefined) => docs?.map((d) => d._id as number).sort((x, y) => x - y);

    it.each([
      ['indexed equalities', { $or: [{ k: 'k5' }, { k: 'k6' }] }, ['k_1']],
      [
        '$in and the prefix of a compound index',
        { $or: [{ k: { $in: ['k1', 'k2'] } }, { a: 3 }] },
        ['k_1', 'a_b'],
      ],
      ['_id and an indexed field', { $or: [{ _id: 7 }, { k: 'k9' }] }, ['_id_', 'k_1']],
      [
        'branches with further conditions',
        {
          $or: [
            { k: 'k5', tags: 2 },
            { a: 1, b: { $gt: 3 } },
          ],
        },
        ['k_1', 'a_b'],
      ],
    ])('answers each branch through an index, no scan: %s', (_label, filter, indexes) => {
      const p = plan(coll, filter);
      expect(p?.stage).toBe('OR');
      expect(p?.indexes.sort()).toEqual([...indexes].sort());
      expect(p!.docs.length).toBeLessThan(coll.docs.size / 4);
    });

    it.each([
      ['a branch on a field without an index', { $or: [{ k: 'k5' }, { tags: 1 }] }],
      ['a branch with a range only', { $or: [{ k: 'k5' }, { k: { $gt: 'k9' } }] }],
      ['a branch on a sparse index', { $or: [{ k: 'k5' }, { s: 1 }] }],
      ['an empty branch (it matches everything)', { $or: [{ k: 'k5' }, {}] }],
    ])('falls back to a scan when any branch has no usable index: %s', (_label, filter) => {
      expect(plan(coll, filter)).toBeUndefined();
    });

    it.each([
      ['overlapping branches', { $or: [{ k: 'k5' }, { a: 5 }, { _id: { $in: [5, 15, 999_999] } }] }],
      [
        'a condition beside the $or',
        { $or: [{ k: { $in: ['k1', 'k2', 'k3'] } }, { a: 2, b: 2 }], b: { $lt: 4 } },
      ],
      [
        'branch conditions the index does not answer',
        {
          $or: [
            { k: 'k7', a: 8 },
            { a: 4, tags: 1 },
          ],
        },
      ],
      ['an equality on an array field beside it', { $or: [{ k: 'k3' }, { a: 9 }], tags: 0 }],
    ])('finds exactly what a scan finds, each document once: %s', (_label, filter) => {
      const found = matching(coll, filter).map((d) => d._id as number);
      expect(new Set(found).size).toBe(found.length);
      expect(found.sort((x, y) => x - y)).toEqual(scan(filter).sort((x, y) => x - y));
      expect(ids(planCandidates(coll, filter))?.length).toBeGreaterThanOrEqual(found.length);
    });
  });
});

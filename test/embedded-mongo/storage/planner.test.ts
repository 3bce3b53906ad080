import { Decimal128 } from 'bson';
import { beforeAll, describe, expect, it } from 'vitest';
import { Collection } from '../../../embedded-mongo/storage/collection.js';
import { planCandidates } from '../../../embedded-mongo/storage/planner.js';

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
});

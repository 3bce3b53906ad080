import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDb, type LooseDoc, type TestDb } from '../support/test-mongo.js';

describe('embedded-mongo aggregate through the official driver', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await useTestDb();
    await t.db.collection<LooseDoc>('orders').insertMany([
      {
        _id: 1,
        cust: 'a',
        items: [
          { sku: 'x', qty: 2 },
          { sku: 'y', qty: 1 },
        ],
        total: 30,
      },
      { _id: 2, cust: 'b', items: [{ sku: 'x', qty: 5 }], total: 50 },
      { _id: 3, cust: 'a', items: [], total: 5 },
    ]);
    await t.db.collection<LooseDoc>('customers').insertMany([
      { _id: 'a', name: 'Alice' },
      { _id: 'b', name: 'Bob' },
    ]);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  const orders = () => t.db.collection<LooseDoc>('orders');

  it('groups, sorts and limits', async () => {
    const out = await orders()
      .aggregate([
        { $match: { total: { $gt: 1 } } },
        { $group: { _id: '$cust', sum: { $sum: '$total' }, n: { $sum: 1 } } },
        { $sort: { sum: -1 } },
        { $limit: 1 },
      ])
      .toArray();
    expect(out).toEqual([{ _id: 'b', sum: 50, n: 1 }]);
  });

  it('unwinds, projects, adds fields and skips', async () => {
    const out = await orders()
      .aggregate([
        { $unwind: '$items' },
        { $project: { _id: 0, sku: '$items.sku', qty: '$items.qty' } },
        { $addFields: { double: { $multiply: ['$qty', 2] } } },
        { $sort: { qty: 1 } },
        { $skip: 1 },
      ])
      .toArray();
    expect(out).toEqual([
      { sku: 'x', qty: 2, double: 4 },
      { sku: 'x', qty: 5, double: 10 },
    ]);
  });

  it('looks up across collections of the same database', async () => {
    const out = await orders()
      .aggregate([
        { $match: { _id: 2 } },
        { $lookup: { from: 'customers', localField: 'cust', foreignField: '_id', as: 'customer' } },
        { $project: { name: { $first: '$customer.name' } } },
      ])
      .toArray();
    expect(out).toEqual([{ _id: 2, name: 'Bob' }]);
  });

  it('counts and facets', async () => {
    expect(
      await orders()
        .aggregate([{ $match: { cust: 'a' } }, { $count: 'n' }])
        .toArray(),
    ).toEqual([{ n: 2 }]);
    const [facets] = await orders()
      .aggregate([
        {
          $facet: {
            big: [{ $match: { total: { $gte: 30 } } }, { $count: 'n' }],
            ids: [{ $sort: { _id: -1 } }, { $project: { _id: 1 } }],
          },
        },
      ])
      .toArray();
    expect(facets).toEqual({ big: [{ n: 2 }], ids: [{ _id: 3 }, { _id: 2 }, { _id: 1 }] });
  });

  it('does not change stored documents when stages rewrite them', async () => {
    await orders()
      .aggregate([{ $addFields: { total: 0, 'items.qty': 0 } }, { $unwind: '$items' }])
      .toArray();
    expect(await orders().findOne({ _id: 1 })).toMatchObject({ total: 30, items: [{ qty: 2 }, { qty: 1 }] });
  });

  it('reports an invalid pipeline as a command error', async () => {
    await expect(
      orders()
        .aggregate([{ $nope: {} }])
        .toArray(),
    ).rejects.toThrow();
  });
});

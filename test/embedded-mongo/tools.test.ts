import type { Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDb, type LooseDoc, type TestDb } from '../support/test-mongo.js';

/**
 * What mongosh and Compass show about a query and a collection — explain, dbStats, collStats,
 * $collStats, serverStatus, currentOp — asked through the official driver, as those tools ask.
 * The assertions hold for mongod 7 too (run with MONGODB_URI to check).
 */
let t: TestDb;
const N = 200;

beforeAll(async () => {
  t = await useTestDb();
  const people = t.db.collection('people');
  await people.insertMany(
    Array.from({ length: N }, (_, i) => ({
      _id: i,
      city: ['Oslo', 'Lima', 'Pune', 'Lyon'][i % 4],
      age: 20 + (i % 50),
      email: `p${i}@example.com`,
      tags: i % 10 === 0 ? ['a', 'b'] : ['a'],
    })) as Document[],
  );
  await people.createIndex({ city: 1, age: 1 }, { name: 'city_age' });
  await people.createIndex({ email: 1 }, { name: 'email', unique: true });
});
afterAll(() => t.cleanup());

/** The first stage named `name` in a plan tree. */
function stage(tree: Document | undefined, name: string): Document | undefined {
  if (!tree) return undefined;
  if (tree.stage === name) return tree;
  for (const child of [tree.inputStage, ...((tree.inputStages as Document[] | undefined) ?? [])]) {
    const found = stage(child as Document | undefined, name);
    if (found) return found;
  }
  return undefined;
}

describe('explain', () => {
  it('find on an indexed field: FETCH over IXSCAN of that index, and what running it examined', async () => {
    const explained = await t.db
      .collection('people')
      .find({ city: 'Lima', age: 21 })
      .explain('executionStats');
    const plan = explained.queryPlanner.winningPlan as Document;
    expect(explained.queryPlanner.namespace).toBe(`${t.db.databaseName}.people`);
    expect(plan.stage).toBe('FETCH');
    const scan = stage(plan, 'IXSCAN')!;
    expect(scan).toMatchObject({
      indexName: 'city_age',
      keyPattern: { city: 1, age: 1 },
      direction: 'forward',
    });
    expect(scan.indexBounds).toEqual({ city: ['["Lima", "Lima"]'], age: ['[21, 21]'] });
    const stats = explained.executionStats as Document;
    expect(stats.executionSuccess).toBe(true);
    expect(stats.nReturned).toBe(2); // i ≡ 1 (mod 4) and age 21 (i ≡ 1 mod 50): 1 and 101
    expect(stats.totalDocsExamined).toBe(stats.nReturned);
    expect(stats.totalKeysExamined).toBe(stats.nReturned);
    expect(typeof stats.executionTimeMillis).toBe('number');
  });

  it('find on an unindexed field: COLLSCAN reading every document', async () => {
    const explained = await t.db
      .collection('people')
      .find({ age: { $gt: 60 } })
      .explain('executionStats');
    expect(explained.queryPlanner.winningPlan).toMatchObject({ stage: 'COLLSCAN', direction: 'forward' });
    expect(explained.executionStats).toMatchObject({ totalDocsExamined: N, totalKeysExamined: 0 });
    expect(explained.executionStats.nReturned).toBe(
      await t.db.collection('people').countDocuments({ age: { $gt: 60 } }),
    );
  });

  it('sort and limit appear above the access stage', async () => {
    const explained = await t.db
      .collection('people')
      .find({ email: 'p7@example.com' })
      .sort({ age: -1 })
      .limit(5)
      .explain('queryPlanner');
    const plan = explained.queryPlanner.winningPlan as Document;
    expect(stage(plan, 'SORT')?.sortPattern).toEqual({ age: -1 });
    expect(stage(plan, 'IXSCAN')).toMatchObject({ indexName: 'email', isUnique: true });
    expect(explained).not.toHaveProperty('executionStats');
  });

  it('a top-level $or answered by index union: an OR of one IXSCAN per index', async () => {
    const explained = await t.db
      .collection('people')
      .find({ $or: [{ email: 'p3@example.com' }, { city: 'Oslo', age: 20 }] })
      .explain('executionStats');
    const or = stage(explained.queryPlanner.winningPlan as Document, 'OR')!;
    expect((or.inputStages as Document[]).map((s) => s.indexName).sort()).toEqual(['city_age', 'email']);
    expect(explained.executionStats.nReturned).toBe(
      await t.db
        .collection('people')
        .countDocuments({ $or: [{ email: 'p3@example.com' }, { city: 'Oslo', age: 20 }] }),
    );
  });

  it('count and distinct through the explain command', async () => {
    const count = await t.db.command({
      explain: { count: 'people', query: { city: 'Pune', age: 22 } },
      verbosity: 'executionStats',
    });
    expect(count.queryPlanner.winningPlan.stage).toBe('COUNT');
    expect(stage(count.queryPlanner.winningPlan, 'IXSCAN')?.indexName).toBe('city_age');
    const distinct = await t.db.command({
      explain: { distinct: 'people', key: 'city', query: { age: { $lt: 25 } } },
      verbosity: 'executionStats',
    });
    expect(stage(distinct.queryPlanner.winningPlan, 'COLLSCAN')).toBeDefined();
    expect(distinct.executionStats.totalDocsExamined).toBe(N);
  });

  it('aggregate: a $match the index answers, under the stages that follow', async () => {
    const explained = (await t.db
      .collection('people')
      .aggregate([{ $match: { city: 'Lyon' } }, { $group: { _id: '$age', n: { $sum: 1 } } }])
      .explain('executionStats')) as Document;
    const cursor = (explained.stages as Document[])[0]!.$cursor as Document;
    expect(stage(cursor.queryPlanner.winningPlan, 'IXSCAN')?.indexName).toBe('city_age');
    expect(cursor.executionStats.nReturned).toBe(N / 4);
    expect(Object.keys((explained.stages as Document[])[1]!)).toContain('$group');
  });
});

describe('sizes', () => {
  it('db.stats(): collections, objects, data and index sizes', async () => {
    const stats = await t.db.stats();
    expect(stats).toMatchObject({ db: t.db.databaseName, ok: 1 });
    expect(stats.collections).toBeGreaterThanOrEqual(1);
    expect(stats.objects).toBeGreaterThanOrEqual(N);
    expect(stats.dataSize).toBeGreaterThan(0);
    expect(stats.indexes).toBeGreaterThanOrEqual(3);
    expect(stats.indexSize).toBeGreaterThan(0);
    expect(stats.avgObjSize).toBeGreaterThan(0);
  });

  it('collStats: count, size, avgObjSize, nindexes and the size of each index', async () => {
    const stats = await t.db.command({ collStats: 'people' });
    expect(stats).toMatchObject({ ns: `${t.db.databaseName}.people`, count: N, nindexes: 3, ok: 1 });
    expect(stats.avgObjSize).toBe(Math.round(stats.size / N));
    expect(Object.keys(stats.indexSizes).sort()).toEqual(['_id_', 'city_age', 'email']);
    expect(stats.totalIndexSize).toBe(
      Object.values(stats.indexSizes as Record<string, number>).reduce((a, b) => a + b, 0),
    );
    const scaled = await t.db.command({ collStats: 'people', scale: 1024 });
    expect(scaled.size).toBe(Math.floor(stats.size / 1024));
  });

  it('$collStats: storageStats as the first stage of an aggregate', async () => {
    const [doc] = await t.db
      .collection('people')
      .aggregate([{ $collStats: { storageStats: {}, count: {} } }])
      .toArray();
    expect(doc?.ns).toBe(`${t.db.databaseName}.people`);
    expect(doc?.storageStats).toMatchObject({ count: N, nindexes: 3 });
    expect(doc?.storageStats.size).toBeGreaterThan(0);
    expect(doc?.storageStats.avgObjSize).toBeGreaterThan(0);
    expect(Object.keys(doc?.storageStats.indexSizes ?? {}).sort()).toEqual(['_id_', 'city_age', 'email']);
    expect(doc?.count).toBe(N);
  });
});

describe('the server', () => {
  it('serverStatus: host, version, uptime, connections, opcounters, mem', async () => {
    const before = await t.db.admin().serverStatus();
    await t.db.collection<LooseDoc>('people').findOne({ _id: 1 });
    await t.db.collection('scratch').insertMany([{ a: 1 }, { a: 2 }]);
    const status = await t.db.admin().serverStatus();
    expect(typeof status.host).toBe('string');
    expect(status.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(status.uptime).toBeGreaterThanOrEqual(0);
    expect(status.connections.current).toBeGreaterThanOrEqual(1);
    expect(status.connections.totalCreated).toBeGreaterThanOrEqual(status.connections.current);
    expect(status.opcounters.query - before.opcounters.query).toBeGreaterThanOrEqual(1);
    expect(status.opcounters.insert - before.opcounters.insert).toBeGreaterThanOrEqual(2);
    expect(status.mem.resident).toBeGreaterThan(0);
  });

  it('currentOp: the operations in progress, this one included', async () => {
    const { inprog } = await t.db.admin().command({ currentOp: 1 });
    const self = (inprog as Document[]).find((op) => op.command?.currentOp === 1);
    expect(self).toMatchObject({ active: true, op: 'command' });
    expect(typeof self?.opid).not.toBe('undefined');
    expect(typeof self?.client).toBe('string');
  });
});

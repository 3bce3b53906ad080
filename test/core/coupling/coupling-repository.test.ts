import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from 'mongodb';
import { CouplingRepository, ensureCouplingIndexes } from '../../../core/coupling/coupling-repository.js';
import type { Coupling } from '../../../core/model/coupling.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';

let test: TestDb;
let db: Db;
let repo: CouplingRepository;

beforeAll(async () => {
  test = await useTestDb();
  db = test.db;
  await ensureCouplingIndexes(db);
  await ensureCouplingIndexes(db); // idempotent
  repo = new CouplingRepository(db);
});
beforeEach(() => repo.deleteEverything());
afterAll(() => test.cleanup());

const make = (mapping: string, bcId: string, dvId: string, bcNumber = bcId): Coupling => ({
  mapping,
  bcId,
  bcNumber,
  dvId,
  lastSyncedBcModifiedOn: null,
  lastSyncedDvModifiedOn: null,
  lastSyncResultBc: null,
  lastSyncResultDv: null,
  lastJobId: null,
  skipped: false,
  coupledAt: new Date('2026-01-01T00:00:00Z'),
  coupledBy: 'tester',
  origin: 'manual',
});

describe('CouplingRepository', () => {
  it.each([
    ['the same BC record twice in one mapping', make('CUSTOMER', 'b1', 'd2'), false],
    ['the same Dataverse row twice in one mapping', make('CUSTOMER', 'b2', 'd1'), false],
    ['the same pair in another mapping', make('VENDOR', 'b1', 'd1'), true],
  ])('answers %s with %s', async (_what, second, expected) => {
    expect(await repo.insert(make('CUSTOMER', 'b1', 'd1'))).toBe(true);
    expect(await repo.insert(second)).toBe(expected);
  });

  it('bulk inserts with one result per row, duplicates refused', async () => {
    await repo.insert(make('CUSTOMER', 'b1', 'd1'));
    const results = await repo.bulkInsert([
      make('CUSTOMER', 'b2', 'd2'),
      make('CUSTOMER', 'b3', 'd1'),
      make('CUSTOMER', 'b4', 'd4'),
    ]);
    expect(results).toEqual([{ ok: true }, { ok: false, reason: 'duplicate' }, { ok: true }]);
    expect(await repo.count('CUSTOMER')).toBe(3);
  });

  it('reads by either side and by number, and deletes one', async () => {
    await repo.insert(make('CUSTOMER', 'b1', 'd1', '10000'));
    expect((await repo.getByDvId('CUSTOMER', 'd1'))?.bcId).toBe('b1');
    expect((await repo.getByBcNumber('CUSTOMER', '10000'))?.dvId).toBe('d1');
    expect((await repo.getManyByBcIds('CUSTOMER', ['b1', 'bx'])).map((c) => c.dvId)).toEqual(['d1']);
    expect((await repo.deleteByBcId('CUSTOMER', 'b1'))?.dvId).toBe('d1');
    expect(await repo.deleteByBcId('CUSTOMER', 'b1')).toBeNull();
  });

  it('deletes a whole mapping in chunks, reporting each chunk', async () => {
    await repo.bulkInsert(Array.from({ length: 25 }, (_, i) => make('CUSTOMER', `b${i}`, `d${i}`)));
    await repo.insert(make('VENDOR', 'v', 'v'));
    const chunks: number[] = [];
    const total = await repo.deleteAllForMapping('CUSTOMER', {
      chunkSize: 10,
      onChunk: async (n) => void chunks.push(n),
    });
    expect(total).toBe(25);
    expect(chunks).toEqual([10, 10, 5]);
    expect(await repo.count('VENDOR')).toBe(1);
  });

  it('lists a mapping page by page', async () => {
    await repo.bulkInsert(Array.from({ length: 7 }, (_, i) => make('CUSTOMER', `b${i}`, `d${i}`)));
    const pages: number[] = [];
    for await (const page of repo.list('CUSTOMER', { pageSize: 3 })) pages.push(page.length);
    expect(pages).toEqual([3, 3, 1]);
  });

  it('records sync state with only the known keys', async () => {
    await repo.insert(make('CUSTOMER', 'b1', 'd1'));
    const at = new Date('2026-02-01T00:00:00Z');
    const patch = {
      lastSyncedBcModifiedOn: at,
      lastSyncResultBc: 'Success',
      skipped: true,
      bcId: 'hijack',
    } as never;
    expect(await repo.setSyncState('CUSTOMER', 'b1', patch)).toBe(true);
    expect(await repo.getByBcId('CUSTOMER', 'b1')).toMatchObject({
      bcId: 'b1',
      lastSyncedBcModifiedOn: at,
      lastSyncResultBc: 'Success',
      skipped: true,
    });
    expect(await repo.setSyncState('CUSTOMER', 'nope', { skipped: false })).toBe(false);
    expect(
      await repo.setSyncStates([
        { mapping: 'CUSTOMER', bcId: 'b1', patch: { skipped: false, lastJobId: 'j1' } },
      ]),
    ).toBe(1);
    expect(await repo.getByBcId('CUSTOMER', 'b1')).toMatchObject({ skipped: false, lastJobId: 'j1' });
  });

  it('refuses operator objects where ids go', async () => {
    await repo.insert(make('CUSTOMER', 'b1', 'd1'));
    await expect(repo.getByBcId('CUSTOMER', { $ne: null } as never)).rejects.toThrow(/Business Central id/);
  });
});

import { Binary, Decimal128, Long, ObjectId, UUID } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDb, type LooseDoc, type TestDb } from '../support/test-mongo.js';

describe('embedded-mongo BSON fidelity through the official driver', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await useTestDb();
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('round-trips ObjectId, Date, Long, Decimal128, Binary and UUID', async () => {
    const c = t.db.collection<LooseDoc>('bson_rt');
    const uuid = new UUID();
    const doc = {
      _id: new ObjectId(),
      at: new Date('2024-02-29T12:34:56.789Z'),
      big: Long.fromString('9223372036854775807'),
      small: Long.fromNumber(42),
      money: Decimal128.fromString('1234567890.123456789012345678'),
      bin: new Binary(Buffer.from([0, 1, 2, 255]), 0),
      uuid,
      nested: { list: [Decimal128.fromString('-0.5'), new Date(0)] },
    };
    await c.insertOne(doc);
    const back = await c.findOne({ _id: doc._id }, { promoteLongs: false });
    expect(back?._id).toEqual(doc._id);
    expect(back?.at).toEqual(doc.at);
    expect(String(back?.big)).toBe('9223372036854775807');
    expect(Number(back?.small)).toBe(42);
    expect(back?.money).toBeInstanceOf(Decimal128);
    expect(back?.money.toString()).toBe('1234567890.123456789012345678');
    expect(Buffer.from((back?.bin as Binary).value()).toString('hex')).toBe('000102ff');
    expect((back?.uuid as Binary).sub_type).toBe(4);
    expect((back?.uuid as Binary).toUUID().toHexString()).toBe(uuid.toHexString());
    expect(back?.nested.list[0].toString()).toBe('-0.5');
  });

  it.each([
    [
      'Decimal128',
      ['10', '9', '-2.5', '0', '-10', '1.05', '1.5'].map((s) => Decimal128.fromString(s)),
      ['-10', '-2.5', '0', '1.05', '1.5', '9', '10'],
    ],
    [
      'large Long',
      ['9007199254740993', '10000000000000000', '-9007199254740993'].map((s) => Long.fromString(s)),
      ['-9007199254740993', '9007199254740993', '10000000000000000'],
    ],
    [
      'ObjectId',
      ['650000000000000000000002', '650000000000000000000010', '650000000000000000000001'].map(
        (h) => new ObjectId(h),
      ),
      ['650000000000000000000001', '650000000000000000000002', '650000000000000000000010'],
    ],
    [
      'Date',
      [3, 1, 2].map((n) => new Date(n * 1000)),
      ['1970-01-01T00:00:01.000Z', '1970-01-01T00:00:02.000Z', '1970-01-01T00:00:03.000Z'],
    ],
    [
      'Binary',
      [Buffer.from([2]), Buffer.from([1, 0]), Buffer.from([1])].map((b) => new Binary(b)),
      ['01', '02', '0100'],
    ],
  ])('sorts %s values in BSON order', async (name, values, expected) => {
    const c = t.db.collection<LooseDoc>(`bson_sort_${name.replace(' ', '_')}`);
    await c.insertMany(values.map((v) => ({ v })));
    const sorted = await c.find({}, { promoteLongs: false }).sort({ v: 1 }).toArray();
    const shown = sorted.map((d) => {
      const v = d.v as unknown;
      if (v instanceof Date) return v.toISOString();
      if (v instanceof Binary) return Buffer.from(v.value()).toString('hex');
      return String(v);
    });
    expect(shown).toEqual(expected);
  });

  it('matches equal values of each type, including numbers across BSON numeric types', async () => {
    const c = t.db.collection<LooseDoc>('bson_eq');
    const id = new ObjectId();
    const uuid = new UUID();
    await c.insertMany([
      { k: 'oid', v: id },
      { k: 'uuid', v: uuid },
      { k: 'dec', v: Decimal128.fromString('2.50') },
      { k: 'long', v: Long.fromNumber(7) },
      { k: 'date', v: new Date(5000) },
    ]);
    const find = async (v: unknown) => (await c.find({ v }).toArray()).map((d) => d.k);
    expect(await find(new ObjectId(id.toHexString()))).toEqual(['oid']);
    expect(await find(new UUID(uuid.toHexString()))).toEqual(['uuid']);
    expect(await find(Decimal128.fromString('2.5'))).toEqual(['dec']);
    expect(await find(2.5)).toEqual(['dec']);
    expect(await find(7)).toEqual(['long']);
    expect(await find(new Date(5000))).toEqual(['date']);
    expect((await c.find({ v: { $gt: 2, $lt: 3 } }).toArray()).map((d) => d.k)).toEqual(['dec']);
    expect(
      (await c.find({ v: { $in: [7, Decimal128.fromString('2.5')] } }).toArray()).map((d) => d.k),
    ).toEqual(['dec', 'long']);
  });

  it('uses Decimal128 and ObjectId values as unique keys', async () => {
    const c = t.db.collection<LooseDoc>('bson_unique');
    await c.createIndex({ v: 1 }, { unique: true });
    await c.insertOne({ v: Decimal128.fromString('1.0') });
    await expect(c.insertOne({ v: Decimal128.fromString('1.00') })).rejects.toMatchObject({ code: 11000 });
    await c.insertOne({ v: Decimal128.fromString('1.01') });
    expect(await c.countDocuments()).toBe(2);
  });
});

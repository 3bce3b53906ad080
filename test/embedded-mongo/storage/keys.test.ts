import { Decimal128, Long, ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { encodeValue, sameValue } from '../../../embedded-mongo/storage/keys.js';

describe('sameValue: equality of stored values without encoding them', () => {
  const oid = new ObjectId();
  it.each([
    ['equal strings', 'a', 'a', true],
    ['different strings', 'a', 'b', false],
    ['a string and a number', '5', 5, false],
    ['a number and the same int64', 5, Long.fromNumber(5), true],
    ['a number and an equal decimal', 5, Decimal128.fromString('5.00'), true],
    ['NaN and NaN', NaN, NaN, true],
    ['0 and -0', 0, -0, true],
    ['null and null', null, null, true],
    ['null and a missing value', null, undefined, true],
    ['equal dates', new Date(5), new Date(5), true],
    ['different dates', new Date(5), new Date(6), false],
    ['the same ObjectId', oid, new ObjectId(oid.toHexString()), true],
    ['equal nested documents', { a: [1, { b: 'x' }] }, { a: [1, { b: 'x' }] }, true],
    ['documents with their fields in another order', { a: 1, b: 2 }, { b: 2, a: 1 }, false],
    ['arrays of other lengths', [1, 2], [1, 2, 3], false],
    ['a document and an array', { 0: 1 }, [1], false],
  ])('%s', (_label, a, b, same) => {
    expect(sameValue(a, b)).toBe(same);
    expect(sameValue(a, b)).toBe(encodeValue(a) === encodeValue(b));
  });
});

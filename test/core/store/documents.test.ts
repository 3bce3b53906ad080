import { ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import {
  clampLimit,
  CorruptDocumentError,
  filterString,
  isDuplicateKeyError,
  parseDoc,
  parseDocs,
} from '../../../core/store/documents.js';

const Thing = z.object({ id: z.string(), count: z.number().int(), at: z.date() });

describe('parseDoc', () => {
  it('returns the typed document without MongoDB’s _id', () => {
    const at = new Date('2025-01-02T03:04:05Z');
    expect(parseDoc(Thing, { _id: new ObjectId(), id: 'a', count: 2, at })).toEqual({
      id: 'a',
      count: 2,
      at,
    });
  });

  it('returns null for a missing document', () => {
    expect(parseDoc(Thing, null)).toBeNull();
  });

  it('refuses a corrupt document with a message naming the collection, the id and the bad field', () => {
    const corrupt = { _id: new ObjectId(), id: 'job-7', count: 'three', at: new Date() };
    expect(() => parseDoc(Thing, corrupt, 'jobs')).toThrow(CorruptDocumentError);
    expect(() => parseDoc(Thing, corrupt, 'jobs')).toThrow(
      /A stored document in jobs \(id job-7\) does not match .*\(count: .*\)\. It was not used; fix or remove it/,
    );
  });

  it('parses lists and stops at the first corrupt one', () => {
    const at = new Date();
    expect(parseDocs(Thing, [{ id: 'a', count: 1, at }], 'x')).toHaveLength(1);
    expect(() => parseDocs(Thing, [{ id: 'a', count: 1, at }, { id: 'b' }], 'x')).toThrow(/id b/);
  });
});

describe('filterString', () => {
  it.each([
    ['an operator object', { $ne: null }],
    ['a number', 42],
    ['an empty string', ''],
    ['an array', ['a']],
    ['an over-long string', 'x'.repeat(201)],
  ])('refuses %s as a filter value', (_what, value) => {
    expect(() => filterString(value, 'Job id')).toThrow(DomainError);
    try {
      filterString(value, 'Job id');
    } catch (e) {
      expect((e as DomainError).code).toBe(ErrorCode.InvalidInput);
      expect((e as DomainError).message).toMatch(/^Job id must be text of 1 to 200 characters/);
    }
  });

  it('passes plain text through', () => {
    expect(filterString('abc', 'Job id')).toBe('abc');
  });
});

describe('isDuplicateKeyError', () => {
  it.each([
    [{ code: 11000 }, true],
    [{ code: 11001 }, false],
    [{ writeErrors: [{ code: 11000 }] }, true],
    [{ writeErrors: [{ code: 2 }] }, false],
    [null, false],
    ['E11000', false],
  ])('%j → %s', (error, expected) => {
    expect(isDuplicateKeyError(error)).toBe(expected);
  });
});

describe('clampLimit', () => {
  it.each([
    [undefined, 20],
    [Number.NaN, 20],
    [0, 1],
    [-5, 1],
    [7.9, 7],
    [1000, 200],
  ])('limit %s becomes %s', (limit, expected) => {
    expect(clampLimit(limit, 20, 200)).toBe(expected);
  });
});

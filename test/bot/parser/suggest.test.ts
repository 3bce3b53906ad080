import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../../bot/parser/suggest.js';
import { singular } from '../../../bot/parser/words.js';

describe('editDistance', () => {
  it.each([
    ['customer', 'customer', 0],
    ['custmer', 'customer', 1],
    ['cusotmer', 'customer', 1],
    ['itme', 'item', 1],
    ['cstomr', 'customer', 2],
    ['', 'abc', 3],
    ['vendor', 'item', 6],
  ])('%s ↔ %s = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('closest', () => {
  const known = ['customer', 'vendor', 'contact', 'item', 'account'];
  it.each([
    ['custmer', 'customer'],
    ['vendr', 'vendor'],
    ['contcat', 'contact'],
    ['itme', 'item'],
    ['banana', undefined],
    ['x', undefined],
  ])('%s → %s', (word, expected) => {
    expect(closest(word, known)).toBe(expected);
  });
});

describe('singular', () => {
  it.each([
    ['customers', 'customer'],
    ['Customers', 'customer'],
    ['currencies', 'currency'],
    ['salespeople', 'salesperson'],
    ['accounts', 'account'],
    ['customer', 'customer'],
    ['systemusers', 'systemuser'],
  ])('%s → %s', (word, expected) => {
    expect(singular(word)).toBe(expected);
  });
});

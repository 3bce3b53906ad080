import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  isIdempotent,
  mayRetry,
  parseRetryAfter,
} from '../../../connectors/http/retry-policy.js';

const NOW = Date.parse('2025-03-01T12:00:00Z');

describe('retry policy', () => {
  it.each<[string | null, number | undefined]>([
    [null, undefined],
    ['', undefined],
    ['0', 0],
    ['7', 7000],
    ['1.5', 1500],
    ['Sat, 01 Mar 2025 12:00:30 GMT', 30_000],
    ['Sat, 01 Mar 2025 11:59:00 GMT', 0],
    ['soon', undefined],
  ])('reads Retry-After %j as %j ms', (header, ms) => {
    expect(parseRetryAfter(header, NOW)).toBe(ms);
  });

  it('draws the delay between 0 and an exponentially growing cap (full jitter), capped by maxDelayMs', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 500, maxDelayMs: 3000 };
    expect([0, 1, 2, 3, 4].map((retry) => backoffDelay(retry, policy, () => 1))).toEqual([
      500, 1000, 2000, 3000, 3000,
    ]);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(2, policy, () => 0.5)).toBe(1000);
  });

  it.each<[number, boolean, boolean]>([
    [429, false, true],
    [503, false, false],
    [503, true, true],
    [504, true, true],
    [504, false, false],
    [408, false, false],
    [500, true, true],
    [500, false, false],
    [502, true, true],
    [412, true, false],
    [404, true, false],
  ])('status %i (idempotent %s) is retried: %s', (status, idempotent, expected) => {
    expect(mayRetry(status, idempotent)).toBe(expected);
  });

  it.each<[string, Record<string, string>, boolean]>([
    ['GET', {}, true],
    ['PATCH', { 'If-Match': 'W/"1"' }, true],
    ['DELETE', { 'if-match': '*' }, true],
    ['PUT', { 'If-Match': '*' }, true],
    ['PATCH', {}, false],
    ['DELETE', {}, false],
    ['POST', { 'If-Match': '*' }, false],
  ])('%s with headers %j may be repeated: %s', (method, headers, expected) => {
    expect(isIdempotent(method, headers)).toBe(expected);
  });
});

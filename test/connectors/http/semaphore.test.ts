import { describe, expect, it } from 'vitest';
import { Semaphore } from '../../../connectors/http/semaphore.js';

describe('semaphore', () => {
  it('lets at most `limit` holders in, serving waiters first come first served', async () => {
    const slots = new Semaphore(2);
    const order: number[] = [];
    const releases = await Promise.all([slots.acquire(), slots.acquire()]);
    const waiting = [3, 4].map((n) => slots.acquire().then((release) => (order.push(n), release)));
    expect(slots.inUse).toBe(2);
    releases[0]?.();
    releases[0]?.(); // a second call changes nothing
    const third = await waiting[0];
    expect(order).toEqual([3]);
    releases[1]?.();
    (await waiting[1])?.();
    third?.();
    expect(slots.inUse).toBe(0);
    expect(slots.maxInUse).toBe(2);
  });

  it('refuses a limit below one', () => {
    expect(() => new Semaphore(0)).toThrow(/≥ 1/);
  });
});

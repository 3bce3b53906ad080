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

  it('lets background holders take only their share, and serves interactive waiters first', async () => {
    const slots = new Semaphore(4);
    expect(slots.backgroundLimit).toBe(3);
    const background = await Promise.all([0, 1, 2].map(() => slots.acquire('background')));
    let fourthBackground = false;
    const queued = slots.acquire('background').then((release) => ((fourthBackground = true), release));
    const interactive = await slots.acquire('interactive');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(fourthBackground).toBe(false);
    expect(slots.inUse).toBe(4);
    // A slot freed while both lanes wait goes to the chat command.
    const waitingInteractive = slots.acquire('interactive');
    background[0]?.();
    const second = await waitingInteractive;
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(fourthBackground).toBe(false);
    second();
    (await queued)();
    expect(fourthBackground).toBe(true);
    interactive();
    for (const release of background) release?.();
    expect(slots.inUse).toBe(0);
  });

  it('stops waiting when the signal aborts', async () => {
    const slots = new Semaphore(1);
    const held = await slots.acquire();
    await expect(slots.acquire('interactive', AbortSignal.timeout(10))).rejects.toThrow();
    held();
    expect(slots.inUse).toBe(0);
    (await slots.acquire())();
  });

  it('refuses a limit below one', () => {
    expect(() => new Semaphore(0)).toThrow(/≥ 1/);
  });
});

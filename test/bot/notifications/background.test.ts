import { describe, expect, it } from 'vitest';
import { BackgroundWork } from '../../../bot/notifications/background.js';
import { CardDeliveries } from '../../../bot/notifications/deliveries.js';
import { captureLogs } from '../log-capture.js';

function deferred() {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('background work', () => {
  it('is tracked until it settles; idle waits for it, and for work added meanwhile', async () => {
    const work = new BackgroundWork(captureLogs().logger);
    const [a, b] = [deferred(), deferred()];
    work.track('a', a.promise);
    expect(work.size).toBe(1);
    let idle = false;
    const waiting = work.idle().then(() => (idle = true));
    work.track('b', b.promise);
    a.resolve();
    await a.promise;
    await new Promise((r) => setTimeout(r, 10));
    expect(idle).toBe(false);
    b.resolve();
    await waiting;
    expect(work.size).toBe(0);
  });

  it('a failure is logged with its name, never an unhandled rejection, and idle still resolves', async () => {
    const logs = captureLogs();
    const work = new BackgroundWork(logs.logger);
    work.track('job:42', Promise.reject(new Error('connector down')));
    await work.idle();
    const line = logs.lines().find((l) => l['msg'] === 'background work failed');
    expect(line).toMatchObject({ work: 'job:42', err: { message: 'connector down' } });
  });
});

describe('card deliveries', () => {
  it('a wait ends when the card is delivered, plus the settle time', async () => {
    const d = new CardDeliveries(20);
    d.expect('job:1');
    let done = false;
    const waiting = d.wait('job:1', 5_000).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 30));
    expect(done).toBe(false);
    d.delivered('job:1');
    await waiting;
    expect(done).toBe(true);
  });

  it('gives up after the timeout when the card never arrives; unknown keys do not wait', async () => {
    const d = new CardDeliveries(0);
    d.expect('job:2');
    const t0 = Date.now();
    await d.wait('job:2', 50);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(45);
    await d.wait('job:unknown', 60_000); // returns at once, or the test times out
  });
});

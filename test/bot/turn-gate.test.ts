import { describe, expect, it } from 'vitest';
import { createTurnGate, GateFullError } from '../../bot/turn-gate.js';

/** A gate with no timer and a utilization the test sets. */
function gateWith(min = 2) {
  let u = 0;
  const gate = createTurnGate({ min, max: 16, sampleMs: 0, utilization: () => u });
  return { gate, setUtilization: (v: number) => void (u = v) };
}

/** Enters n turns in order; each records when it got in. */
function enterMany(gate: ReturnType<typeof createTurnGate>, n: number) {
  const order: number[] = [];
  const releases = new Map<number, () => void>();
  const all = Array.from({ length: n }, (_, i) =>
    gate.enter().then((release) => {
      order.push(i);
      releases.set(i, release);
    }),
  );
  return { order, releases, all };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('turn gate', () => {
  it('lets the first turns straight in and queues the rest, first come first served', async () => {
    const { gate } = gateWith(2);
    const { order, releases } = enterMany(gate, 5);
    await settle();
    expect(order).toEqual([0, 1]);
    expect([gate.running, gate.waiting]).toEqual([2, 3]);

    releases.get(1)!();
    await settle();
    expect(order).toEqual([0, 1, 2]);
    releases.get(0)!();
    await settle();
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it('a turn released twice frees one place, not two', async () => {
    const { gate } = gateWith(2);
    const { order, releases } = enterMany(gate, 4);
    await settle();
    releases.get(0)!();
    releases.get(0)!();
    await settle();
    expect(order).toEqual([0, 1, 2]);
    expect(gate.running).toBe(2);
  });

  it('does not hold back turns that wait on I/O: while the loop is idle the limit doubles until all run', async () => {
    const { gate, setUtilization } = gateWith(2);
    const { order } = enterMany(gate, 12);
    await settle();
    setUtilization(0.1);
    const limits: number[] = [];
    for (let i = 0; i < 3; i++) {
      gate.adjust();
      limits.push(gate.limit);
    }
    await settle();
    expect(limits).toEqual([4, 8, 16]);
    expect(order).toHaveLength(12);
    expect(gate.waiting).toBe(0);
  });

  it('while the loop is saturated, halves the limit down to its minimum and no further', async () => {
    const { gate, setUtilization } = gateWith(2);
    enterMany(gate, 20);
    await settle();
    setUtilization(0.2);
    gate.adjust();
    gate.adjust();
    gate.adjust();
    expect(gate.limit).toBe(16);
    setUtilization(1);
    const limits: number[] = [];
    for (let i = 0; i < 5; i++) {
      gate.adjust();
      limits.push(gate.limit);
    }
    expect(limits).toEqual([8, 4, 2, 2, 2]);
  });

  it('does not grow while nobody waits, nor shrink on a busy-but-not-saturated loop', () => {
    const { gate, setUtilization } = gateWith(2);
    setUtilization(0);
    gate.adjust();
    expect(gate.limit).toBe(2);
    setUtilization(0.9);
    gate.adjust();
    expect(gate.limit).toBe(2);
  });

  it('refuses at once past its bounds: the global queue, and the turns of one conversation', async () => {
    const gate = createTurnGate({ min: 1, max: 1, sampleMs: 0, maxQueued: 2, maxPerConversation: 2 });
    const first = await gate.enter('a');
    const queued = [gate.enter('b'), gate.enter('c')];
    await expect(gate.enter('d')).rejects.toEqual(new GateFullError('queue'));
    expect(gate.waiting).toBe(2);
    // Two turns of conversation a are in: a third is refused, another conversation still gets in.
    const full = createTurnGate({ min: 4, sampleMs: 0, maxPerConversation: 2 });
    const r1 = await full.enter('a');
    await full.enter('a');
    await expect(full.enter('a')).rejects.toMatchObject({ reason: 'conversation' });
    await full.enter('b');
    r1();
    await full.enter('a'); // a place in conversation a came free
    first();
    (await queued[0]!)();
    (await queued[1]!)();
    expect([gate.running, gate.waiting]).toEqual([0, 0]);
  });
});

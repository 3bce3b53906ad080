/**
 * A counting semaphore: at most `limit` holders at once, waiters served first come first served.
 * Keeps us under each API's concurrent-request limit (BC 5 per user, Dataverse 52 per user).
 */
export class Semaphore {
  private active = 0;
  private peak = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`concurrency limit must be ≥ 1, got ${limit}`);
  }

  /** Resolves with a release function once a slot is free; call it exactly once. */
  async acquire(): Promise<() => void> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    this.peak = Math.max(this.peak, this.active);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so `active` only drops when nobody waits.
      if (next) next();
      else this.active -= 1;
    };
  }

  get inUse(): number {
    return this.active;
  }

  /** Highest number of simultaneous holders seen so far. */
  get maxInUse(): number {
    return this.peak;
  }
}

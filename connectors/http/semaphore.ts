/**
 * Who a request is for: a person waiting in chat, or background work (scheduled synchronization, whole
 * table runs, match runs) that nobody watches request by request.
 */
export type Lane = 'interactive' | 'background';

interface Waiter {
  lane: Lane;
  grant: () => void;
}

/**
 * A counting semaphore with two lanes: at most `limit` holders at once, of which at most
 * `backgroundLimit` background ones, so background work never takes the whole cap and a chat command
 * always finds a slot soon. A freed slot goes to the oldest interactive waiter first, then to the oldest
 * background waiter while the background share allows. Keeps us under each API's concurrent-request
 * limit (BC 5 per user, Dataverse 52 per user).
 */
export class Semaphore {
  private active = 0;
  private activeBackground = 0;
  private peak = 0;
  private readonly waiting: Waiter[] = [];
  readonly backgroundLimit: number;

  constructor(
    readonly limit: number,
    /** Default: all but a quarter of the cap (at least one slot kept for interactive requests). */
    backgroundLimit?: number,
  ) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`concurrency limit must be ≥ 1, got ${limit}`);
    this.backgroundLimit = Math.max(1, Math.min(backgroundLimit ?? limit - Math.ceil(limit / 4), limit));
  }

  /**
   * Resolves with a release function once a slot is free; call it exactly once. With `signal`, stops
   * waiting (rejecting with the signal's reason) when it aborts before a slot was granted.
   */
  async acquire(lane: Lane = 'interactive', signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.mayEnter(lane)) this.enter(lane);
    else {
      await new Promise<void>((resolve, reject) => {
        const waiter: Waiter = {
          lane,
          grant: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          const at = this.waiting.indexOf(waiter);
          if (at >= 0) this.waiting.splice(at, 1);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiting.push(waiter);
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= 1;
      if (lane === 'background') this.activeBackground -= 1;
      this.grantNext();
    };
  }

  private mayEnter(lane: Lane): boolean {
    if (this.active >= this.limit) return false;
    if (lane === 'background') {
      // Interactive waiters go first; background ones stay within their share.
      return (
        this.activeBackground < this.backgroundLimit && !this.waiting.some((w) => w.lane === 'interactive')
      );
    }
    return !this.waiting.some((w) => w.lane === 'interactive');
  }

  private enter(lane: Lane): void {
    this.active += 1;
    if (lane === 'background') this.activeBackground += 1;
    this.peak = Math.max(this.peak, this.active);
  }

  private grantNext(): void {
    while (this.active < this.limit) {
      let at = this.waiting.findIndex((w) => w.lane === 'interactive');
      if (at < 0 && this.activeBackground < this.backgroundLimit) at = 0;
      const next = at >= 0 ? this.waiting.splice(at, 1)[0] : undefined;
      if (!next) return;
      this.enter(next.lane);
      next.grant();
    }
  }

  get inUse(): number {
    return this.active;
  }

  /** Highest number of simultaneous holders seen so far. */
  get maxInUse(): number {
    return this.peak;
  }
}

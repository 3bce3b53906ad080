/** After its card was delivered, an update waits this long so the channel shows the card before its update. */
const SETTLE_MS = 500;

interface Expected {
  done: Promise<void>;
  resolve: () => void;
  deliveredAt?: number;
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    if (ms <= 0) return resolve();
    setTimeout(resolve, ms);
  });

/**
 * A job can finish before the turn that started it has delivered its running card. Whoever will
 * update that card first `expect`s its key; the replier calls `delivered` once the card's message
 * id is remembered; the finisher `wait`s for that (or gives up after a while and sends a new
 * message instead). One instance per bot, created in the composition root.
 */
export class CardDeliveries {
  private readonly expected = new Map<string, Expected>();

  constructor(private readonly settleMs = SETTLE_MS) {}

  expect(key: string): void {
    if (this.expected.has(key)) return;
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    this.expected.set(key, { done, resolve });
  }

  delivered(key: string): void {
    const entry = this.expected.get(key);
    if (!entry || entry.deliveredAt !== undefined) return;
    entry.deliveredAt = Date.now();
    entry.resolve();
  }

  /**
   * Waits until the card under `key` was delivered (at most `ms`), plus a short settle when that was
   * just now: an invoke's answer reaches the client after the turn, and must not overtake its update.
   */
  async wait(key: string, ms: number): Promise<void> {
    const entry = this.expected.get(key);
    if (!entry) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
    try {
      await Promise.race([entry.done, timeout]);
    } finally {
      clearTimeout(timer);
      this.expected.delete(key);
    }
    if (entry.deliveredAt !== undefined) await sleep(entry.deliveredAt + this.settleMs - Date.now());
  }
}

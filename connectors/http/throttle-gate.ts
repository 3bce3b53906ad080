/** The API asked this connector to pause longer than a request may still wait. */
export class GateClosedError extends Error {
  override readonly name = 'GateClosedError';
  constructor(readonly until: number) {
    super(`paused until ${new Date(until).toISOString()} (the API answered 429 with Retry-After)`);
  }
}

/**
 * After a 429 the API wants silence from this user for Retry-After, not just a later retry of that one
 * request: the gate closes for the longest wait asked so far, and every attempt passes it before going out.
 */
export class ThrottleGate {
  private gate: Promise<void> | undefined;
  private until = 0;

  constructor(
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly now: () => number,
  ) {}

  /** Closes the gate for `delay` ms (unless it already stays closed longer) and waits until it opens. */
  async close(delay: number): Promise<void> {
    this.hold(delay);
    await this.gate;
  }

  /**
   * Closes the gate for `delay` ms without waiting: a request that gives up after a 429 still keeps
   * every other request of this connector from hammering the API for the time it asked.
   */
  hold(delay: number): void {
    const until = this.now() + delay;
    if (!this.gate || until > this.until) {
      this.until = until;
      const gate: Promise<void> = this.sleep(delay).finally(() => {
        if (this.gate === gate) this.gate = undefined;
      });
      this.gate = gate;
    }
  }

  /**
   * Resolves at once when open; otherwise when the (possibly extended) wait is over. With `deadline`
   * (epoch ms), throws GateClosedError at once if the gate stays closed past it: no point waiting.
   */
  async pass(deadline?: number): Promise<void> {
    while (this.gate) {
      if (deadline !== undefined && this.until > deadline) throw new GateClosedError(this.until);
      await this.gate;
    }
  }
}

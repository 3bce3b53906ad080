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
    const until = this.now() + delay;
    if (!this.gate || until > this.until) {
      this.until = until;
      const gate: Promise<void> = this.sleep(delay).finally(() => {
        if (this.gate === gate) this.gate = undefined;
      });
      this.gate = gate;
    }
    await this.gate;
  }

  /** Resolves at once when open; otherwise when the (possibly extended) wait is over. */
  async pass(): Promise<void> {
    while (this.gate) await this.gate;
  }
}

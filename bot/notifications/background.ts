import type { Logger } from '../../core/logger.js';

/**
 * Work that outlives the turn that started it (a whole-mapping job, the update of its running card).
 * Every piece is tracked — never fire-and-forget — so a failure is logged instead of becoming an
 * unhandled rejection, and shutdown can wait for what is still running (the server's drain).
 */
export class BackgroundWork {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly logger: Pick<Logger, 'error'>) {}

  /** Pieces still running. */
  get size(): number {
    return this.pending.size;
  }

  track(name: string, work: Promise<unknown>): void {
    const tracked: Promise<void> = work
      .then(
        () => undefined,
        (err: unknown) => this.logger.error({ err, work: name }, 'background work failed'),
      )
      .finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  /** Resolves once nothing is running, including work started while waiting. Never rejects. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}

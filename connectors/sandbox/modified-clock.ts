import type { Clock } from '../../core/ports/clock.js';

/**
 * Modified-on times that move forward on every edit, even when two edits share a millisecond:
 * synchronization compares them with the coupling's last synchronized time (domain.md §3), so an
 * edit that kept the old time would be missed.
 */
export class ModifiedOnClock {
  private last = 0;

  constructor(private readonly clock: Clock) {}

  /** max(now, last issued + 1 ms, previous + 1 ms) */
  next(previous?: Date): Date {
    const floor = Math.max(this.last, previous?.getTime() ?? 0) + 1;
    this.last = Math.max(this.clock.now().getTime(), floor);
    return new Date(this.last);
  }
}

/** ETags are version counters; a missing or odd one restarts at 1. */
export function nextEtag(etag: string | undefined): string {
  const n = Number(etag);
  return String(Number.isSafeInteger(n) && n > 0 ? n + 1 : 1);
}

import type { Clock } from '../../core/ports/clock.js';

const DEFAULT_START = Date.UTC(2025, 0, 1, 8, 0, 0);

/**
 * THE fake clock of the tests (and the bench): core's Clock port, moved by hand. `FakeClock.at(start)`
 * stands still at `start` until moved, so times and orders are exact; `FakeClock.running()` runs with
 * the real clock, moved ahead by hand — for suites where records, jobs and leases also carry real times.
 */
export class FakeClock implements Clock {
  private offsetMs = 0;

  private constructor(private readonly startMs: number | undefined) {}

  static at(start: Date | number = DEFAULT_START): FakeClock {
    return new FakeClock(typeof start === 'number' ? start : start.getTime());
  }

  static running(): FakeClock {
    return new FakeClock(undefined);
  }

  now = (): Date => new Date((this.startMs ?? Date.now()) + this.offsetMs);

  advanceMinutes(minutes: number): void {
    this.offsetMs += minutes * 60_000;
  }

  advanceHours(hours: number): void {
    this.offsetMs += hours * 3_600_000;
  }

  /** Back to where it started (or to the real time, for a running clock). */
  reset(): void {
    this.offsetMs = 0;
  }
}

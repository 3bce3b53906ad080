import type { Db } from 'mongodb';
import { ErrorCode, isDomainError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Job } from '../model/job.js';
import type { Clock } from '../ports/clock.js';
import { SlotStore } from './slots.js';

export { ensureLeaseIndexes, type SlotDoc } from './slots.js';

/**
 * Scheduled Synchronize Modified Records, once per interval per mapping across every bot instance on
 * one MongoDB. Each run claims its slot by inserting `{ _id: "<mapping>:<interval start>" }`: the
 * unique `_id` lets exactly one instance win and the others get a duplicate-key error and skip.
 *
 * Why slots rather than a renewable lease: "exactly once per interval" is then a property of the
 * index, not of clocks, expiry times or renewals; a slow or paused instance can never make a second
 * instance run the same interval, and the slot documents are a history of who ran what. A run that
 * dies with its instance is not retried in that interval: its job is marked Interrupted at restart and
 * the next interval's Synchronize Modified Records catches up (the high-water marks only move on success).
 *
 * A slot's owner renews it (heartbeat, every third of a lease) while its run goes on. Every instance
 * looks at least once a lease period, so a slot whose owner died (no renewal for a lease) is taken over
 * — compare-and-set on its expiry — within two lease periods and run by the instance that took it. The
 * mapping's run lock (core/jobs/run-lock.ts) still keeps two runs of one mapping from overlapping.
 */

export interface ScheduledRun {
  job: Job;
  /** Errors this run opened (what managers should hear about). */
  newErrors: number;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** The slot heartbeat's timer; real unless a test fires it by hand. */
export interface HeartbeatTimers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const realHeartbeat: HeartbeatTimers = {
  setInterval: (fn, ms) => {
    const t = setInterval(fn, ms);
    t.unref();
    return t;
  },
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
};

export interface LeaseSchedulerOptions {
  db: Db;
  clock: Clock;
  /** SYNC_INTERVAL_MINUTES; 0 turns scheduling off. */
  intervalMinutes: number;
  /** Names this instance in the slot documents (host name + pid, say). */
  instanceId: string;
  /** The mappings to synchronize, in dependency order (CUSTOMER and VENDOR before CONTACT). */
  mappings: () => Promise<string[]>;
  /** Synchronize Modified Records for one mapping (the sync service, as the scheduler actor). */
  run: (mapping: string) => Promise<ScheduledRun>;
  /** Every finished run; the bot tells managers when the job failed or errorsCount > 0. */
  onRunFinished?: (job: Job, errorsCount: number) => void | Promise<void>;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
  timers?: Timers;
  /** Slot documents are kept this long as history; 7 days unless said. */
  keepDays?: number;
  /** A slot not renewed for this long is taken over (LEASE_SECONDS); 60 s unless said. */
  leaseMs?: number;
  heartbeat?: HeartbeatTimers;
}

export class LeaseScheduler {
  private readonly slots: SlotStore;
  private readonly timers: Timers;
  private handle: unknown = null;
  private running: Promise<unknown> | null = null;
  private stopped = true;
  private stopping = false;

  constructor(private readonly o: LeaseSchedulerOptions) {
    this.slots = new SlotStore(o.db);
    this.timers = o.timers ?? realTimers;
  }

  get enabled(): boolean {
    return this.o.intervalMinutes > 0;
  }

  private get intervalMs(): number {
    return this.o.intervalMinutes * 60_000;
  }

  get leaseMs(): number {
    return this.o.leaseMs ?? 60_000;
  }

  /** The start of the interval `at` falls in; every instance computes the same one. */
  slotStart(at: Date): Date {
    return new Date(Math.floor(at.getTime() / this.intervalMs) * this.intervalMs);
  }

  /** Runs the current interval's slot at once (if nobody has), then one tick per interval boundary. */
  start(): void {
    if (!this.enabled || !this.stopped) return;
    this.stopped = false;
    this.stopping = false;
    this.schedule(0);
  }

  /** Stops the timer and waits for a run in progress; no timer is left behind. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping = true;
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    this.handle = null;
    await this.running?.catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.handle = this.timers.setTimeout(() => {
      this.handle = null;
      this.running = this.tick()
        .catch((e) => this.o.logger?.error({ err: e }, 'scheduled synchronization tick failed'))
        .finally(() => {
          this.running = null;
          const now = this.o.clock.now().getTime();
          // A little past the boundary, so every instance agrees which interval it is in; and at least
          // once a lease period, to take over a slot whose owner died.
          const boundary = this.slotStart(new Date(now)).getTime() + this.intervalMs - now + 1000;
          this.schedule(Math.min(boundary, this.leaseMs));
        });
    }, delayMs);
  }

  /** Claims and runs the slots due now; returns the mappings this instance ran. Used by the timer and by tests. */
  async tick(): Promise<string[]> {
    if (!this.enabled) return [];
    const now = this.o.clock.now();
    const slotStart = this.slotStart(now);
    const ran: string[] = [];
    for (const mapping of await this.o.mappings()) {
      if (this.stopping) break; // stop() waits for this tick: finish the mapping in hand, start no other
      if (await this.runSlot(mapping, slotStart, now)) ran.push(mapping);
    }
    await this.slots.prune(new Date(now.getTime() - (this.o.keepDays ?? 7) * 86_400_000));
    return ran;
  }

  private async runSlot(mapping: string, slotStart: Date, now: Date): Promise<boolean> {
    const { instanceId } = this.o;
    if (!(await this.slots.claim(mapping, slotStart, instanceId, now, this.leaseMs))) {
      const from = await this.slots.takeOver(mapping, slotStart, instanceId, now, this.leaseMs);
      if (from === null) return false;
      this.o.logger?.warn({ mapping, from }, 'scheduled synchronization taken over from a stopped instance');
    }
    const heartbeat = (this.o.heartbeat ?? realHeartbeat).setInterval(
      () => {
        this.slots
          .renew(mapping, slotStart, instanceId, this.o.clock.now(), this.leaseMs)
          .catch((err: unknown) =>
            this.o.logger?.warn({ err, mapping }, 'could not renew the scheduler slot'),
          );
      },
      Math.max(1, Math.floor(this.leaseMs / 3)),
    );
    try {
      return await this.runClaimed(mapping, slotStart, now);
    } finally {
      (this.o.heartbeat ?? realHeartbeat).clearInterval(heartbeat);
    }
  }

  private async runClaimed(mapping: string, slotStart: Date, now: Date): Promise<boolean> {
    // A slow run of an earlier interval still going: this interval is skipped, not stacked on it.
    const recent = new Date(now.getTime() - 4 * this.intervalMs);
    if (await this.slots.earlierStillRunning(mapping, slotStart, recent, now)) {
      await this.slots.close(mapping, slotStart, {
        status: 'skipped',
        finishedAt: now,
        note: 'the previous run was still going',
      });
      this.o.logger?.warn({ mapping }, 'scheduled synchronization skipped: the previous run is still going');
      return false;
    }
    try {
      const { job, newErrors } = await this.o.run(mapping);
      const status = job.status === 'Finished' ? 'finished' : 'failed';
      await this.slots.close(mapping, slotStart, { status, finishedAt: this.o.clock.now(), jobId: job.id });
      await this.notify(job, newErrors);
    } catch (e) {
      if (isDomainError(e) && e.code === ErrorCode.AlreadyRunning) {
        // Someone's run of this mapping is going (a user's, or another instance's): not stacked on it.
        await this.slots.close(mapping, slotStart, {
          status: 'skipped',
          finishedAt: this.o.clock.now(),
          note: 'a run of this mapping was already going',
        });
        this.o.logger?.info({ mapping }, 'scheduled synchronization skipped: the mapping is already running');
        return false;
      }
      const note = String((e as Error).message ?? e).slice(0, 300);
      await this.slots.close(mapping, slotStart, { status: 'failed', finishedAt: this.o.clock.now(), note });
      this.o.logger?.error({ err: e, mapping }, 'scheduled synchronization failed before its job started');
    }
    return true;
  }

  private async notify(job: Job, errorsCount: number): Promise<void> {
    try {
      await this.o.onRunFinished?.(job, errorsCount);
    } catch (e) {
      this.o.logger?.warn({ err: e, jobId: job.id }, 'onRunFinished callback failed');
    }
  }
}

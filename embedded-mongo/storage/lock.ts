import { randomUUID } from 'node:crypto';
import { readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

export const LOCK_FILE = 'mongod.lock';
export const DEFAULT_LEASE_MS = 10_000;

/** dbPaths opened by this process, so a second server in the same process is refused at once. */
const openHere = new Set<string>();

interface Lease {
  owner: string;
  host: string;
  pid: number;
  /** Epoch ms the holder's lease runs until unless renewed. */
  expires: number;
}

export interface LeaseOptions {
  /** How long a lease lasts without renewal (default 10 s); it is renewed every quarter of that. */
  leaseMs?: number;
  /** Called once if the lease is found taken by another process (this process must stop writing). */
  onLost?: (reason: string) => void;
}

export interface HeldLease {
  /** Why this process may not write right now (its lease lapsed or was taken), or undefined. */
  refusal(): Error | undefined;
  /** Stops renewing and deletes the lease file (if still ours). */
  release(): void;
}

export class LockedError extends Error {
  override readonly name = 'LockedError';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Takes the data directory's lease: a file naming its holder (a random owner id, host and pid) and when
 * its lease expires, renewed by a heartbeat. PIDs alone cannot tell whether a holder lives (containers
 * sharing a volume have separate PID namespaces), so another process waits: if the holder renews, it is
 * alive and this one is refused; if the lease expires unrenewed, this one takes it over. Hosts sharing a
 * volume need synchronised clocks (NTP), as any lease does.
 */
export async function acquireLease(dir: string, options: LeaseOptions = {}): Promise<HeldLease> {
  const resolved = path.resolve(dir);
  const file = path.join(resolved, LOCK_FILE);
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  if (openHere.has(resolved))
    throw new LockedError(`embedded-mongo: ${resolved} is already open in this process`);
  openHere.add(resolved);
  try {
    const me: Lease = { owner: randomUUID(), host: hostname(), pid: process.pid, expires: 0 };
    let seen: Lease | undefined;
    for (;;) {
      me.expires = Date.now() + leaseMs;
      if (createExclusive(file, me)) break;
      const holder = readLease(file, leaseMs);
      if (!holder) continue; // released meanwhile
      if (holder.expires <= Date.now()) {
        if (await takeOver(file, me, holder, leaseMs)) break;
        continue;
      }
      if (seen && seen.owner === holder.owner && seen.expires !== holder.expires) {
        throw new LockedError(
          `embedded-mongo: ${resolved} is in use by process ${holder.pid} on ${holder.host}, which renews its ` +
            `lease (${file}); stop it first, or give this process another data directory`,
        );
      }
      seen = holder;
      // Wait for a renewal (proof of life) or for the lease to run out.
      await sleep(Math.max(10, Math.min(leaseMs / 2, holder.expires - Date.now() + 5)));
    }
    return hold(resolved, file, me, leaseMs, options.onLost);
  } catch (err) {
    openHere.delete(resolved);
    throw err;
  }
}

function createExclusive(file: string, lease: Lease): boolean {
  try {
    writeFileSync(file, JSON.stringify(lease), { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** The lease in the file; a file in an older format (a bare pid) counts as renewed at its mtime. */
function readLease(file: string, leaseMs: number): Lease | undefined {
  let text: string;
  let mtime: number;
  try {
    text = readFileSync(file, 'utf8');
    mtime = statSync(file).mtimeMs;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const lease = JSON.parse(text) as Partial<Lease>;
    if (typeof lease.owner === 'string' && typeof lease.expires === 'number') {
      return { owner: lease.owner, host: String(lease.host), pid: Number(lease.pid), expires: lease.expires };
    }
  } catch {
    // Not JSON: an older lock file holding a pid.
  }
  return {
    owner: `legacy:${text.trim()}`,
    host: 'unknown',
    pid: Number.parseInt(text, 10),
    expires: mtime + leaseMs,
  };
}

/** Atomically replaces the file with our lease, so a reader never sees half of it. */
function writeLease(file: string, lease: Lease): void {
  const tmp = `${file}.${lease.owner}.tmp`;
  writeFileSync(tmp, JSON.stringify(lease));
  renameSync(tmp, file);
}

/**
 * Replaces an expired lease with ours, then checks after a short settle time that no other process
 * replaced it meanwhile (two processes taking over together: the last rename wins, the other backs off).
 */
async function takeOver(file: string, me: Lease, stale: Lease, leaseMs: number): Promise<boolean> {
  const current = readLease(file, leaseMs);
  if (!current || current.owner !== stale.owner || current.expires !== stale.expires) return false;
  writeLease(file, me);
  await sleep(Math.min(200, leaseMs / 10));
  return readLease(file, leaseMs)?.owner === me.owner;
}

function hold(
  resolved: string,
  file: string,
  me: Lease,
  leaseMs: number,
  onLost?: (reason: string) => void,
): HeldLease {
  let lost: string | undefined;
  const loseWith = (reason: string) => {
    if (lost) return;
    lost = reason;
    clearInterval(timer);
    onLost?.(reason);
  };
  const timer = setInterval(() => {
    try {
      const current = readLease(file, leaseMs);
      if (current?.owner !== me.owner) {
        return loseWith(
          current
            ? `${file} was taken over by process ${current.pid} on ${current.host}`
            : `${file} was deleted by someone else`,
        );
      }
      writeLease(file, { ...me, expires: Date.now() + leaseMs });
      me.expires = Date.now() + leaseMs;
    } catch (err) {
      // A renewal that fails (disk full) is retried next beat; the lease lapses if it keeps failing.
      void err;
    }
  }, leaseMs / 4);
  timer.unref();
  return {
    refusal() {
      if (lost) return new LockedError(`embedded-mongo: this process lost the lease on ${resolved}: ${lost}`);
      // A margin below the expiry: another process may take over only after it.
      if (Date.now() >= me.expires - leaseMs / 10) {
        return new LockedError(
          `embedded-mongo: the lease on ${resolved} lapsed (renewal overdue); not writing`,
        );
      }
      return undefined;
    },
    release() {
      clearInterval(timer);
      openHere.delete(resolved);
      if (lost) return;
      try {
        if (readLease(file, leaseMs)?.owner === me.owner) unlinkSync(file);
      } catch {
        // Already gone: nothing to release.
      }
    },
  };
}

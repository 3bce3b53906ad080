import { copyFile, readdir, readFile, truncate, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Engine, Op } from './engine.js';
import { Journal, JournalFile, type JournalIo } from './journal.js';
import { acquireLease, type HeldLease } from './lock.js';
import { findValidRecordAfter, forEachRecord } from './records.js';
import { captureSnapshot, fsyncDir, loadSnapshot, writeSnapshot } from './snapshot.js';

const JOURNAL_RE = /^journal-(\d+)\.log$/;
export const DEFAULT_COMPACT_BYTES = 64 * 1024 * 1024;

const journalPath = (dir: string, gen: number) => path.join(dir, `journal-${gen}.log`);

async function journalGens(dir: string): Promise<number[]> {
  const gens = (await readdir(dir)).flatMap((f) => {
    const m = JOURNAL_RE.exec(f);
    return m ? [Number(m[1])] : [];
  });
  return gens.sort((a, b) => a - b);
}

export class CorruptJournalError extends Error {
  override readonly name = 'CorruptJournalError';
  constructor(
    readonly file: string,
    readonly offset: number,
  ) {
    super(
      `embedded-mongo: ${file} has a corrupt record at byte offset ${offset} followed by valid records; ` +
        `refusing to start. Restore the data directory from a backup, or run "npm run db -- --repair" to ` +
        `keep a copy of the journal and cut it at that offset (the records after it are lost)`,
    );
  }
}

/**
 * Applies a journal's complete records. A torn tail (a write cut short by a crash, never acknowledged)
 * is cut off so that new records can be appended after the last good one. A bad record with valid ones
 * after it is not a torn write but damage: recovery stops rather than silently dropping what follows.
 */
async function replayJournal(
  file: string,
  engine: Engine,
  logger?: Logger,
): Promise<{ records: number; bytes: number }> {
  const buf = await readFile(file);
  let records = 0;
  const validBytes = forEachRecord(buf, (op) => {
    engine.apply(op as Op);
    records++;
  });
  if (validBytes < buf.length && findValidRecordAfter(buf, validBytes) !== undefined) {
    throw new CorruptJournalError(file, validBytes);
  }
  if (validBytes < buf.length) {
    logger?.warn({ file, ignoredBytes: buf.length - validBytes }, 'ignoring torn journal tail');
    await truncate(file, validBytes);
  }
  return { records, bytes: validBytes };
}

/**
 * Durable storage for an Engine: snapshot + journal generations under one directory.
 * Recovery = snapshot, then every journal from the snapshot's generation on, each up to its first
 * torn/corrupt record. Compaction writes a new snapshot and drops the journals it covers.
 */
export class Persistence {
  private compacting: Promise<void> | undefined;
  private closed = false;

  private constructor(
    private readonly dir: string,
    private readonly engine: Engine,
    private readonly journal: Journal,
    private gen: number,
    private readonly lease: HeldLease,
    private readonly compactBytes: number,
    private readonly logger?: Logger,
    private readonly io?: JournalIo,
  ) {}

  static async open(
    dir: string,
    engine: Engine,
    compactBytes = DEFAULT_COMPACT_BYTES,
    logger?: Logger,
    options: PersistenceOptions = {},
  ): Promise<Persistence> {
    const lease = await acquireLease(dir, {
      leaseMs: options.leaseMs,
      onLost: (reason) =>
        logger?.error({ dir, reason }, 'embedded-mongo lost its data directory lease; refusing writes'),
    });
    const io = options.io;
    try {
      const snapshot = { gen: await loadSnapshot(dir, engine) };
      let replayed = 0;
      let journalBytes = 0;
      const gens = await journalGens(dir);
      const live = gens.filter((g) => g >= snapshot.gen);
      for (const gen of live) {
        const r = await replayJournal(journalPath(dir, gen), engine, logger);
        replayed += r.records;
        journalBytes = r.bytes;
      }
      // Journals older than the snapshot are already inside it (a crash hit before their deletion).
      for (const g of gens) if (g < snapshot.gen) await unlink(journalPath(dir, g));
      // Appending continues in the newest journal; compaction folds everything into a snapshot later.
      const gen = live[live.length - 1] ?? snapshot.gen;
      const file = new JournalFile(journalPath(dir, gen), journalBytes, io);
      const journal = new Journal(file, () => lease.refusal());
      fsyncDir(dir);
      engine.sink = journal;
      const store = new Persistence(dir, engine, journal, gen, lease, compactBytes, logger, io);
      logger?.info(
        { dir, collections: [...engine.dbs.values()].reduce((n, d) => n + d.size, 0), replayed },
        'recovered',
      );
      return store;
    } catch (err) {
      lease.release();
      throw err;
    }
  }

  /** Called after writes: compacts in the background once the journal outgrows the threshold. */
  maybeCompact(): void {
    if (!this.closed && !this.compacting && this.journal.current.bytes >= this.compactBytes) {
      this.compact().catch((err: unknown) => this.logger?.error({ err }, 'embedded-mongo compaction failed'));
    }
  }

  async compact(): Promise<void> {
    while (this.compacting) await this.compacting;
    this.compacting = this.runCompaction();
    try {
      await this.compacting;
    } finally {
      this.compacting = undefined;
    }
  }

  private async runCompaction(): Promise<void> {
    const next = this.gen + 1;
    // Capture and rotate in one synchronous step: the snapshot holds exactly the journals before `next`.
    const buffers = captureSnapshot(this.engine, next);
    const rotated = this.journal.rotate(new JournalFile(journalPath(this.dir, next), 0, this.io));
    this.gen = next;
    fsyncDir(this.dir);
    let commit;
    try {
      commit = await writeSnapshot(this.dir, buffers);
    } catch (err) {
      await rotated.catch(() => undefined);
      throw err;
    }
    // The snapshot may hold changes still in flight in the old journal: it replaces the old one only
    // once they are durable (if they fail, they are rolled back and this snapshot is dropped).
    try {
      await rotated;
    } catch (err) {
      await commit.abandon();
      throw err;
    }
    await commit.install();
    for (const g of await journalGens(this.dir)) if (g < next) await unlink(journalPath(this.dir, g));
  }

  /** Flushes, writes a final snapshot (fast restart) and releases the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.journal.sync();
      await this.compact();
      this.journal.current.close();
    } finally {
      this.lease.release();
    }
  }
}

export interface PersistenceOptions {
  /** Data directory lease duration (tests use less); see lock.ts. */
  leaseMs?: number;
  /** Journal file operations (tests inject failures). */
  io?: JournalIo;
}

export interface RepairedJournal {
  file: string;
  offset: number;
  backup: string;
  droppedBytes: number;
}

/**
 * `npm run db -- --repair`: for each journal with a corrupt record followed by valid ones, keeps a copy
 * of the whole file next to it and truncates the journal at the corrupt record, so the server starts with
 * everything before it. Takes the directory's lease, so it never runs beside a live server.
 */
export async function repairJournals(
  dir: string,
  options: PersistenceOptions = {},
): Promise<RepairedJournal[]> {
  const lease = await acquireLease(dir, { leaseMs: options.leaseMs });
  try {
    const repaired: RepairedJournal[] = [];
    for (const gen of await journalGens(dir)) {
      const file = journalPath(dir, gen);
      const buf = await readFile(file);
      const offset = forEachRecord(buf, () => undefined);
      if (offset === buf.length || findValidRecordAfter(buf, offset) === undefined) continue;
      const backup = `${file}.${new Date().toISOString().replace(/[:.]/g, '-')}.bak`;
      await copyFile(file, backup);
      await truncate(file, offset);
      fsyncDir(dir);
      repaired.push({ file, offset, backup, droppedBytes: buf.length - offset });
    }
    return repaired;
  } finally {
    lease.release();
  }
}

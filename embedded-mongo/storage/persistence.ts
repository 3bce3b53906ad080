import { readdir, readFile, truncate, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Engine, Op } from './engine.js';
import { Journal, JournalFile } from './journal.js';
import { acquireLock } from './lock.js';
import { forEachRecord } from './records.js';
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

/**
 * Applies a journal's complete records. A torn or corrupt tail (a write cut short by a crash, never
 * acknowledged) is cut off so that new records can be appended after the last good one.
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
    private readonly release: () => void,
    private readonly compactBytes: number,
    private readonly logger?: Logger,
  ) {}

  static async open(
    dir: string,
    engine: Engine,
    compactBytes = DEFAULT_COMPACT_BYTES,
    logger?: Logger,
  ): Promise<Persistence> {
    const release = acquireLock(dir);
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
      const file = new JournalFile(journalPath(dir, gen));
      file.bytes = journalBytes;
      const journal = new Journal(file);
      fsyncDir(dir);
      engine.sink = journal;
      const store = new Persistence(dir, engine, journal, gen, release, compactBytes, logger);
      logger?.info(
        { dir, collections: [...engine.dbs.values()].reduce((n, d) => n + d.size, 0), replayed },
        'recovered',
      );
      return store;
    } catch (err) {
      release();
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
    const rotated = this.journal.rotate(new JournalFile(journalPath(this.dir, next)));
    this.gen = next;
    fsyncDir(this.dir);
    await writeSnapshot(this.dir, buffers);
    await rotated;
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
      this.release();
    }
  }
}

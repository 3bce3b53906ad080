import { closeSync, fdatasync, ftruncate, openSync, writev } from 'node:fs';
import type { RawRef } from '../raw.js';
import type { Op, OpSink, Undo } from './engine.js';
import { RecordWriter } from './records.js';

/**
 * The three file operations the journal needs, injectable so tests can fail a write or an fsync the
 * way a full disk or an I/O error does.
 */
export interface JournalIo {
  writev(fd: number, buffers: Buffer[]): Promise<number>;
  fdatasync(fd: number): Promise<void>;
  ftruncate(fd: number, length: number): Promise<void>;
}

export const nodeJournalIo: JournalIo = {
  writev: (fd, bufs) =>
    new Promise((resolve, reject) => writev(fd, bufs, (err, n) => (err ? reject(err) : resolve(n)))),
  fdatasync: (fd) =>
    new Promise((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve()))),
  ftruncate: (fd, length) =>
    new Promise((resolve, reject) => ftruncate(fd, length, (err) => (err ? reject(err) : resolve()))),
};

/** One append-only journal file: records are framed in memory and written by the Journal's flush. */
export class JournalFile {
  private readonly fd: number;
  private readonly writer = new RecordWriter();
  /** Bytes appended, durable or not (drives compaction). */
  bytes: number;
  /** Length of the file known to be on disk. */
  private durableBytes: number;

  constructor(
    readonly path: string,
    size = 0,
    private readonly io: JournalIo = nodeJournalIo,
  ) {
    this.fd = openSync(path, 'a');
    this.bytes = size;
    this.durableBytes = size;
  }

  append(op: Op, raw?: RawRef): void {
    const before = this.writer.bytes;
    if (op.o === 'put' && raw) this.writer.writeWithRaw({ o: op.o, db: op.db, c: op.c }, raw);
    else this.writer.write(op);
    this.bytes += this.writer.bytes - before;
  }

  /** Writes and fsyncs what was appended so far. */
  async flush(): Promise<void> {
    const batch = this.writer.take();
    if (batch.length === 0) return;
    await writeAll(this.io, this.fd, batch);
    await this.io.fdatasync(this.fd);
    this.durableBytes += batch.reduce((n, b) => n + b.length, 0);
  }

  /** Forgets the records not yet written. */
  dropPending(): void {
    this.writer.take();
    this.bytes = this.durableBytes;
  }

  /** Cuts the file back to its durable length (a failed write may have left part of a batch). */
  async truncate(): Promise<void> {
    await this.io.ftruncate(this.fd, this.durableBytes);
    await this.io.fdatasync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** writev in chunks (IOV_MAX is 1024 on Linux), retrying short writes. */
async function writeAll(io: JournalIo, fd: number, buffers: Buffer[]): Promise<void> {
  for (let i = 0; i < buffers.length; i += 1024) {
    let chunk = buffers.slice(i, i + 1024);
    while (chunk.length > 0) {
      let written = await io.writev(fd, chunk);
      while (chunk.length > 0 && written >= (chunk[0] as Buffer).length) {
        written -= (chunk[0] as Buffer).length;
        chunk = chunk.slice(1);
      }
      if (written > 0 && chunk.length > 0) chunk[0] = (chunk[0] as Buffer).subarray(written);
    }
  }
}

interface Waiter {
  seq: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

export class JournalWriteError extends Error {
  override readonly name = 'JournalWriteError';
}

/**
 * The engine's sink, with group commit: records appended during a tick (or while an fsync is in flight)
 * are written with one writev and made durable with one fdatasync, files in order (a rotated-out file
 * is flushed before its successor).
 *
 * Memory never holds what the disk refused: every append carries the undo of its change, kept until the
 * record is durable. When a write or fsync fails, every change not yet durable is undone (newest first),
 * the files are cut back to their durable length, and every waiting client gets the error. The journal
 * then accepts writes again (the disk may have room by then), unless cutting back failed too: the
 * journal is then broken and every later write fails until a restart.
 */
export class Journal implements OpSink {
  private readonly files: JournalFile[];
  private appended = 0;
  private durable = 0;
  /** undo[i] reverts change number durable + 1 + i. */
  private undo: (Undo | undefined)[] = [];
  private waiters: Waiter[] = [];
  private flushing = false;
  private scheduled = false;
  private broken: Error | undefined;

  constructor(
    current: JournalFile,
    /** Checked before every flush: why this process may no longer write (its lease lapsed), or undefined. */
    private readonly mayWrite: () => Error | undefined = () => undefined,
  ) {
    this.files = [current];
  }

  get current(): JournalFile {
    return this.files[this.files.length - 1] as JournalFile;
  }

  append(op: Op, raw?: RawRef, undo?: Undo): void {
    try {
      this.current.append(op, raw);
    } catch (err) {
      // Not journaled (e.g. a record too large to frame), so not kept in memory either.
      undo?.();
      throw err;
    }
    this.undo.push(undo);
    this.appended++;
  }

  /** Resolves when every record appended so far is on disk; rejects (memory rolled back) if not. */
  sync(): Promise<void> {
    if (this.durable === this.appended) return Promise.resolve();
    if (this.broken) {
      const err = this.broken;
      this.rollBack();
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => {
      this.waiters.push({ seq: this.appended, resolve, reject });
      this.schedule();
    });
  }

  /** Switches to a new file; resolves once the old one's records are durable, then closes it. */
  async rotate(next: JournalFile): Promise<void> {
    const old = this.current;
    this.files.push(next);
    try {
      await this.sync();
    } finally {
      this.files.splice(this.files.indexOf(old), 1);
      old.close();
    }
  }

  private schedule(): void {
    if (this.flushing || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    this.flushing = true;
    try {
      while (this.durable < this.appended) {
        const seq = this.appended;
        const refused = this.mayWrite();
        if (refused) throw refused;
        for (const file of [...this.files]) await file.flush();
        this.undo.splice(0, seq - this.durable);
        this.durable = seq;
        this.waiters = this.waiters.filter((w) => (w.seq <= seq ? (w.resolve(), false) : true));
      }
    } catch (err) {
      await this.fail(err);
    } finally {
      this.flushing = false;
      if (this.waiters.length > 0) this.schedule();
    }
  }

  private async fail(cause: unknown): Promise<void> {
    const err = new JournalWriteError(
      `journal write failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    const waiters = this.waiters;
    this.waiters = [];
    this.rollBack();
    try {
      for (const file of [...this.files]) await file.truncate();
    } catch (truncateErr) {
      this.broken = new JournalWriteError(
        `journal is unusable until restart: cutting it back after a failed write failed too (${String(truncateErr)})`,
        { cause: truncateErr },
      );
    }
    for (const w of waiters) w.reject(err);
  }

  /** Undoes every change not yet durable, newest first. */
  private rollBack(): void {
    const undo = this.undo;
    this.undo = [];
    this.appended = this.durable;
    for (const file of this.files) file.dropPending();
    for (let i = undo.length - 1; i >= 0; i--) undo[i]?.();
  }
}

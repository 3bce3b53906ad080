import { closeSync, fdatasync, openSync, writev } from 'node:fs';
import type { RawRef } from '../raw.js';
import type { Op, OpSink } from './engine.js';
import { RecordWriter } from './records.js';

const writevAsync = (fd: number, bufs: Buffer[]) =>
  new Promise<number>((resolve, reject) => writev(fd, bufs, (err, n) => (err ? reject(err) : resolve(n))));
const fdatasyncAsync = (fd: number) =>
  new Promise<void>((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));

interface Waiter {
  seq: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * One append-only journal file with group commit: records appended during a tick (or while an fsync is
 * in flight) are written with one writev and made durable with one fdatasync.
 */
export class JournalFile {
  private readonly fd: number;
  private readonly writer = new RecordWriter();
  private appended = 0;
  private durable = 0;
  private waiters: Waiter[] = [];
  private flushing = false;
  private scheduled = false;
  private failure: Error | undefined;
  bytes = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a');
  }

  append(op: Op, raw?: RawRef): void {
    const before = this.writer.bytes;
    if (op.o === 'put' && raw) this.writer.writeWithRaw({ o: op.o, db: op.db, c: op.c }, raw);
    else this.writer.write(op);
    this.bytes += this.writer.bytes - before;
    this.appended++;
  }

  /** Resolves when every record appended so far is on disk; rejects if the disk write failed. */
  sync(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.durable === this.appended) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ seq: this.appended, resolve, reject });
      this.schedule();
    });
  }

  close(): void {
    closeSync(this.fd);
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
        const batch = this.writer.take();
        const seq = this.appended;
        await writeAll(this.fd, batch);
        await fdatasyncAsync(this.fd);
        this.durable = seq;
        this.waiters = this.waiters.filter((w) => (w.seq <= seq ? (w.resolve(), false) : true));
      }
    } catch (err) {
      // A journal that failed to write cannot acknowledge anything any more.
      this.failure = err instanceof Error ? err : new Error(String(err));
      for (const w of this.waiters) w.reject(this.failure);
      this.waiters = [];
    } finally {
      this.flushing = false;
    }
  }
}

/** writev in chunks (IOV_MAX is 1024 on Linux), retrying short writes. */
async function writeAll(fd: number, buffers: Buffer[]): Promise<void> {
  for (let i = 0; i < buffers.length; i += 1024) {
    let chunk = buffers.slice(i, i + 1024);
    while (chunk.length > 0) {
      let written = await writevAsync(fd, chunk);
      while (chunk.length > 0 && written >= (chunk[0] as Buffer).length) {
        written -= (chunk[0] as Buffer).length;
        chunk = chunk.slice(1);
      }
      if (written > 0 && chunk.length > 0) chunk[0] = (chunk[0] as Buffer).subarray(written);
    }
  }
}

/** The engine's sink: frames ops into the current journal file; rotation starts a new file. */
export class Journal implements OpSink {
  private readonly previous = new Set<JournalFile>();

  constructor(public current: JournalFile) {}

  append(op: Op, raw?: RawRef): void {
    this.current.append(op, raw);
  }

  async sync(): Promise<void> {
    if (this.previous.size > 0) await Promise.all([...this.previous].map((f) => f.sync()));
    await this.current.sync();
  }

  /** Switches to a new file; the old one finishes its pending flush, then closes. */
  async rotate(next: JournalFile): Promise<void> {
    const old = this.current;
    this.current = next;
    this.previous.add(old);
    try {
      await old.sync();
    } finally {
      this.previous.delete(old);
      old.close();
    }
  }
}

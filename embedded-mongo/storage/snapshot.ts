import { closeSync, fsyncSync, openSync } from 'node:fs';
import { open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Document } from 'bson';
import type { Engine, Op } from './engine.js';
import { forEachRecord, RecordTooLargeError, RecordWriter } from './records.js';

export const SNAPSHOT_FILE = 'snapshot.bson';
const FORMAT = 1;

/**
 * Serialises the whole state synchronously (a consistent point in time). The header names the first
 * journal generation that is NOT contained in the snapshot, i.e. the one recovery must replay from.
 */
export function captureSnapshot(engine: Engine, nextGen: number): Buffer[] {
  const writer = new RecordWriter();
  writer.write({ o: 'hdr', format: FORMAT, gen: nextGen });
  let count = 0;
  for (const op of engine.stateOps()) {
    try {
      writer.write(op);
      count++;
    } catch (err) {
      if (!(err instanceof RecordTooLargeError) || op.o !== 'puts') throw err;
      // A chunk of large documents: write them one by one instead.
      for (const d of op.ds) writer.write({ o: 'put', db: op.db, c: op.c, d });
      count += op.ds.length;
    }
  }
  // The trailer proves the file is complete: a snapshot is replaced atomically, never appended to.
  writer.write({ o: 'end', count });
  return writer.take();
}

export interface PendingSnapshot {
  /** Renames the written snapshot over the old one and fsyncs the directory. */
  install(): Promise<void>;
  /** Deletes the written snapshot, leaving the old one in place. */
  abandon(): Promise<void>;
}

/** Writes to a temp file and fsyncs it; the caller installs it (rename over the old one) or abandons it. */
export async function writeSnapshot(dir: string, buffers: Buffer[]): Promise<PendingSnapshot> {
  const tmp = path.join(dir, `${SNAPSHOT_FILE}.tmp`);
  const fh = await open(tmp, 'w');
  try {
    for (let i = 0; i < buffers.length; i += 1024) await fh.writev(buffers.slice(i, i + 1024));
    await fh.sync();
  } finally {
    await fh.close();
  }
  return {
    install: async () => {
      await rename(tmp, path.join(dir, SNAPSHOT_FILE));
      fsyncDir(dir);
    },
    abandon: () => rm(tmp, { force: true }),
  };
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Applies the snapshot to `engine` and returns the journal generation to replay from (0 when there is
 * no snapshot). A snapshot without its trailer is refused rather than half-loaded.
 */
export async function loadSnapshot(dir: string, engine: Engine): Promise<number> {
  const file = path.join(dir, SNAPSHOT_FILE);
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  let head: Document | undefined;
  let tail: Document | undefined;
  let count = 0;
  forEachRecord(buf, (record) => {
    if (!head) {
      head = record;
      if (head.o !== 'hdr' || head.format !== FORMAT)
        throw corrupt(file, `unsupported header ${JSON.stringify(head)}`);
    } else if (record.o === 'end') tail = record;
    else {
      engine.apply(record as Op);
      count++;
    }
  });
  if (!head || !tail || tail.count !== count) throw corrupt(file, 'incomplete');
  return Number(head.gen);
}

const corrupt = (file: string, why: string) =>
  new Error(`embedded-mongo: ${file} is ${why}; refusing to start (restore it or move it away)`);

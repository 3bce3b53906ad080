import { closeSync, fsyncSync, openSync } from 'node:fs';
import { open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { Engine, Op } from './engine.js';
import { readRecords, RecordWriter } from './records.js';

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
    writer.write(op);
    count++;
  }
  // The trailer proves the file is complete: a snapshot is replaced atomically, never appended to.
  writer.write({ o: 'end', count });
  return writer.take();
}

/** Writes to a temp file, fsyncs, renames over the old snapshot and fsyncs the directory. */
export async function writeSnapshot(dir: string, buffers: Buffer[]): Promise<void> {
  const tmp = path.join(dir, `${SNAPSHOT_FILE}.tmp`);
  const fh = await open(tmp, 'w');
  try {
    for (let i = 0; i < buffers.length; i += 1024) await fh.writev(buffers.slice(i, i + 1024));
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path.join(dir, SNAPSHOT_FILE));
  fsyncDir(dir);
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The snapshot's ops and the journal generation to replay from; gen 0 and no ops when there is none. */
export async function readSnapshot(dir: string): Promise<{ gen: number; ops: Op[] }> {
  let buf: Buffer;
  try {
    buf = await readFile(path.join(dir, SNAPSHOT_FILE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { gen: 0, ops: [] };
    throw err;
  }
  const { records } = readRecords(buf);
  const head = records[0];
  const tail = records[records.length - 1];
  if (head?.o !== 'hdr' || tail?.o !== 'end' || tail.count !== records.length - 2) {
    throw new Error(
      `embedded-mongo: ${path.join(dir, SNAPSHOT_FILE)} is incomplete or corrupt; refusing to start`,
    );
  }
  if (head.format !== FORMAT)
    throw new Error(`embedded-mongo: unsupported snapshot format ${String(head.format)}`);
  return { gen: Number(head.gen), ops: records.slice(1, -1) as Op[] };
}

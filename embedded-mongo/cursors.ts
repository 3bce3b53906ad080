import { randomBytes } from 'node:crypto';
import { Long, type Document } from 'bson';
import { BatchWriter, type RawArray } from './batch.js';
import { CommandError } from './errors.js';
import { MAX_BSON_OBJECT_SIZE } from './wire.js';

const DEFAULT_FIRST_BATCH = 101;
/** Leave room for the reply envelope around a batch. */
const BATCH_BYTES = MAX_BSON_OBJECT_SIZE - 64 * 1024;
/** Idle cursors are reaped like mongod's cursorTimeoutMillis (10 minutes). */
const IDLE_MS = 10 * 60 * 1000;

interface OpenCursor {
  ns: string;
  docs: Document[];
  pos: number;
  touched: number;
}

/** Server-side cursors over materialised results, addressed by random positive int64 ids. */
export class CursorRegistry {
  private readonly open = new Map<bigint, OpenCursor>();
  private readonly reaper = setInterval(() => this.reap(), 60_000).unref();

  /** The `cursor` document of a find/aggregate reply; registers a cursor when results remain. */
  first(ns: string, docs: Document[], batchSize?: number, singleBatch = false): Document {
    const cursor: OpenCursor = { ns, docs, pos: 0, touched: Date.now() };
    const batch = takeBatch(cursor, batchSize ?? DEFAULT_FIRST_BATCH);
    let id = 0n;
    if (!singleBatch && cursor.pos < docs.length) {
      id = newId();
      this.open.set(id, cursor);
    }
    return { id: Long.fromBigInt(id), ns, firstBatch: batch };
  }

  more(id: bigint, ns: string, batchSize?: number): Document {
    const cursor = this.open.get(id);
    if (!cursor || cursor.ns !== ns) throw new CommandError('CursorNotFound', `cursor id ${id} not found`);
    cursor.touched = Date.now();
    const batch = takeBatch(cursor, batchSize && batchSize > 0 ? batchSize : Infinity);
    let outId = id;
    if (cursor.pos >= cursor.docs.length) {
      this.open.delete(id);
      outId = 0n;
    }
    return { id: Long.fromBigInt(outId), ns, nextBatch: batch };
  }

  kill(ids: bigint[]): { killed: Long[]; notFound: Long[] } {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) (this.open.delete(id) ? killed : notFound).push(Long.fromBigInt(id));
    return { killed, notFound };
  }

  close(): void {
    clearInterval(this.reaper);
    this.open.clear();
  }

  private reap(): void {
    const cutoff = Date.now() - IDLE_MS;
    for (const [id, c] of this.open) if (c.touched < cutoff) this.open.delete(id);
  }
}

function takeBatch(cursor: OpenCursor, max: number): RawArray {
  const batch = new BatchWriter();
  while (cursor.pos < cursor.docs.length && batch.count < max) {
    if (!batch.add(cursor.docs[cursor.pos] as Document, BATCH_BYTES)) break;
    cursor.pos++;
  }
  return batch.finish();
}

function newId(): bigint {
  // 63 random bits, never 0 (0 means "exhausted" on the wire).
  return (randomBytes(8).readBigUInt64LE() >> 1n) | 1n;
}

import { crc32 } from 'node:zlib';
import {
  calculateObjectSize,
  deserialize,
  serialize,
  serializeWithBufferAndIndex,
  type Document,
} from 'bson';
import { reviveOrdered } from '../bson-order.js';
import type { RawRef } from '../raw.js';
import { BSON_READ } from '../wire.js';

/**
 * On-disk record framing shared by the journal and the snapshot: [u32 length][u32 crc32][BSON body].
 * The checksum lets recovery tell a torn or corrupt tail from a complete record.
 */
const FRAME_HEADER = 8;
const SLAB = 1024 * 1024;
const D_ELEMENT = Buffer.from([0x03, 0x64, 0x00]); // embedded document named "d"

/** bson serialises through a 17 MiB internal buffer; a record must fit in it. */
const MAX_RECORD = 17 * 1024 * 1024;

export class RecordTooLargeError extends Error {
  constructor(readonly size: number) {
    super(`record of ${size} bytes exceeds ${MAX_RECORD}`);
  }
}

/**
 * Encodes records into 1 MiB slabs rather than one small buffer per record: large batches of
 * inserts otherwise spend more time allocating and collecting buffers than serialising.
 */
export class RecordWriter {
  private slab = Buffer.allocUnsafe(SLAB);
  private pos = 0;
  private start = 0;
  private filled: Buffer[] = [];
  private headKey = '';
  private headBytes: Uint8Array = new Uint8Array(0);
  bytes = 0;

  write(doc: Document): void {
    try {
      this.seal(serializeWithBufferAndIndex(doc, this.slab, { index: this.pos + FRAME_HEADER }) + 1);
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      // Either the slab is full or the record exceeds what bson can serialise at all.
      const size = calculateObjectSize(doc);
      if (size > MAX_RECORD) throw new RecordTooLargeError(size);
      this.newSlab(size + FRAME_HEADER);
      this.seal(serializeWithBufferAndIndex(doc, this.slab, { index: this.pos + FRAME_HEADER }) + 1);
    }
  }

  /** The record { ...fields, d: <raw> } around a document's BSON bytes as the client sent them. */
  writeWithRaw(fields: Document, [buf, start, end]: RawRef): void {
    const head = this.head(fields);
    const rawLength = end - start;
    const size = head.length + D_ELEMENT.length + rawLength;
    if (this.pos + FRAME_HEADER + size > this.slab.length) this.newSlab(FRAME_HEADER + size);
    let p = this.pos + FRAME_HEADER;
    this.slab.set(head, p);
    this.slab.writeInt32LE(size, p);
    p += head.length - 1; // drop the terminating 0, the "d" element follows
    this.slab.set(D_ELEMENT, p);
    buf.copy(this.slab, p + D_ELEMENT.length, start, end);
    this.slab[p + D_ELEMENT.length + rawLength] = 0;
    this.seal(this.pos + FRAME_HEADER + size);
  }

  /** The serialised `fields`, cached: a batch of inserts shares one {o, db, c}. */
  private head(fields: Document): Uint8Array {
    const key = JSON.stringify(fields);
    if (key !== this.headKey) {
      this.headKey = key;
      this.headBytes = serialize(fields);
    }
    return this.headBytes;
  }

  /** Everything written since the last take, as buffers to write in order. */
  take(): Buffer[] {
    if (this.pos > this.start) this.filled.push(this.slab.subarray(this.start, this.pos));
    this.start = this.pos;
    const out = this.filled;
    this.filled = [];
    this.bytes = 0;
    return out;
  }

  private seal(end: number): void {
    const body = this.slab.subarray(this.pos + FRAME_HEADER, end);
    this.slab.writeUInt32LE(body.length, this.pos);
    this.slab.writeUInt32LE(crc32(body), this.pos + 4);
    this.bytes += end - this.pos;
    this.pos = end;
  }

  private newSlab(min: number): void {
    if (this.pos > this.start) this.filled.push(this.slab.subarray(this.start, this.pos));
    this.slab = Buffer.allocUnsafe(Math.max(SLAB, min));
    this.pos = 0;
    this.start = 0;
  }
}

/** One framed record (tests and small writes). */
export function frame(doc: Document): Buffer {
  const w = new RecordWriter();
  w.write(doc);
  return Buffer.concat(w.take());
}

/**
 * Calls `fn` for each complete record, stopping at the first incomplete or corrupt one; returns the
 * number of bytes of valid records (anything after is a torn or corrupt tail).
 */
export function forEachRecord(buf: Buffer, fn: (record: Document) => void): number {
  let offset = 0;
  while (offset + FRAME_HEADER <= buf.length) {
    const length = buf.readUInt32LE(offset);
    const end = offset + FRAME_HEADER + length;
    if (length < 5 || end > buf.length) break;
    const body = buf.subarray(offset + FRAME_HEADER, end);
    if (crc32(body) !== buf.readUInt32LE(offset + 4) || body.readInt32LE(0) !== length) break;
    let record: Document;
    try {
      record = reviveOrdered(deserialize(body, BSON_READ));
    } catch {
      break;
    }
    fn(record);
    offset = end;
  }
  return offset;
}

/**
 * The offset of the first complete, checksummed record starting after `from` (scanning byte by byte),
 * or undefined: tells a torn tail (nothing valid follows) from damage in the middle of a file.
 */
export function findValidRecordAfter(buf: Buffer, from: number): number | undefined {
  for (let offset = from + 1; offset + FRAME_HEADER <= buf.length; offset++) {
    const length = buf.readUInt32LE(offset);
    const end = offset + FRAME_HEADER + length;
    // Cheap filters first: a plausible length that the BSON body repeats, then the checksum.
    if (length < 5 || length > MAX_RECORD || end > buf.length) continue;
    if (buf.readInt32LE(offset + FRAME_HEADER) !== length) continue;
    const body = buf.subarray(offset + FRAME_HEADER, end);
    if (crc32(body) === buf.readUInt32LE(offset + 4)) return offset;
  }
  return undefined;
}

import { crc32 } from 'node:zlib';
import {
  calculateObjectSize,
  deserialize,
  serialize,
  serializeWithBufferAndIndex,
  type Document,
} from 'bson';
import { reviveOrdered } from '../bson-order.js';
import { BSON_READ } from '../wire.js';

/**
 * On-disk record framing shared by the journal and the snapshot: [u32 length][u32 crc32][BSON body].
 * The checksum lets recovery tell a torn or corrupt tail from a complete record.
 */
const FRAME_HEADER = 8;
const SLAB = 1024 * 1024;
const D_ELEMENT = Buffer.from([0x03, 0x64, 0x00]); // embedded document named "d"

/**
 * Encodes records into 1 MiB slabs rather than one small buffer per record: large batches of
 * inserts otherwise spend more time allocating and collecting buffers than serialising.
 */
export class RecordWriter {
  private slab = Buffer.allocUnsafe(SLAB);
  private pos = 0;
  private start = 0;
  private filled: Buffer[] = [];
  bytes = 0;

  write(doc: Document): void {
    for (;;) {
      try {
        const end = serializeWithBufferAndIndex(doc, this.slab, { index: this.pos + FRAME_HEADER }) + 1;
        this.seal(end);
        return;
      } catch (err) {
        if (!(err instanceof RangeError)) throw err;
        this.newSlab(calculateObjectSize(doc) + FRAME_HEADER);
      }
    }
  }

  /** The record { ...fields, d: <raw> } around a document's BSON bytes as the client sent them. */
  writeWithRaw(fields: Document, raw: Uint8Array): void {
    const head = serialize(fields);
    const size = head.length + D_ELEMENT.length + raw.length;
    if (this.pos + FRAME_HEADER + size > this.slab.length) this.newSlab(FRAME_HEADER + size);
    let p = this.pos + FRAME_HEADER;
    this.slab.set(head, p);
    this.slab.writeInt32LE(size, p);
    p += head.length - 1; // drop the terminating 0, the "d" element follows
    this.slab.set(D_ELEMENT, p);
    this.slab.set(raw, p + D_ELEMENT.length);
    this.slab[p + D_ELEMENT.length + raw.length] = 0;
    this.seal(this.pos + FRAME_HEADER + size);
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

export interface ReadResult {
  records: Document[];
  /** Bytes of complete, valid records; anything after this is a torn or corrupt tail. */
  validBytes: number;
}

/** Parses records until the first incomplete or corrupt one. */
export function readRecords(buf: Buffer): ReadResult {
  const records: Document[] = [];
  let offset = 0;
  while (offset + FRAME_HEADER <= buf.length) {
    const length = buf.readUInt32LE(offset);
    const end = offset + FRAME_HEADER + length;
    if (length < 5 || end > buf.length) break;
    const body = buf.subarray(offset + FRAME_HEADER, end);
    if (crc32(body) !== buf.readUInt32LE(offset + 4) || body.readInt32LE(0) !== length) break;
    try {
      records.push(reviveOrdered(deserialize(body, BSON_READ)));
    } catch {
      break;
    }
    offset = end;
  }
  return { records, validBytes: offset };
}

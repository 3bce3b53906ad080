import { crc32 } from 'node:zlib';
import { deserialize, serialize, type Document } from 'bson';
import { reviveOrdered } from '../bson-order.js';
import { BSON_READ } from '../wire.js';

/**
 * On-disk record framing shared by the journal and the snapshot: [u32 length][u32 crc32][BSON body].
 * The checksum lets recovery tell a torn or corrupt tail from a complete record.
 */
const FRAME_HEADER = 8;

export function frame(doc: Document): Buffer {
  const body = serialize(doc);
  const out = Buffer.allocUnsafe(FRAME_HEADER + body.length);
  out.writeUInt32LE(body.length, 0);
  out.writeUInt32LE(crc32(body), 4);
  out.set(body, FRAME_HEADER);
  return out;
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

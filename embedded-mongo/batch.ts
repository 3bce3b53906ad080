import { serialize, serializeWithBufferAndIndex, type Document } from 'bson';
import { isPlainDoc } from './storage/keys.js';

/** A BSON array already encoded (a cursor batch): the reply spliced around it is encoded once. */
export class RawArray {
  constructor(
    /** The whole array document: int32 length, elements "0", "1", …, terminating 0. */
    readonly bytes: Buffer,
    readonly length: number,
  ) {}
}

const ARRAY = 0x04;
const DOCUMENT = 0x03;

/**
 * Encodes a cursor batch document by document into one growing buffer. Each document is serialised
 * exactly once, and its size is known from that, so the batch limit costs no separate size pass.
 */
export class BatchWriter {
  // Under 4 KiB, Buffer.allocUnsafe slices node's shared pool instead of allocating: most batches are small.
  private buf = Buffer.allocUnsafe(4000);
  private pos = 4;
  count = 0;

  /** Appends `doc` unless that would take the batch past `maxBytes` (a first document always fits). */
  add(doc: Document, maxBytes: number): boolean {
    const mark = this.pos;
    const key = String(this.count);
    this.ensure(key.length + 2);
    this.buf[this.pos++] = DOCUMENT;
    this.pos += this.buf.write(key, this.pos, 'latin1');
    this.buf[this.pos++] = 0;
    for (;;) {
      try {
        this.pos = serializeWithBufferAndIndex(doc, this.buf, { index: this.pos }) + 1;
        break;
      } catch (err) {
        if (!(err instanceof RangeError)) throw err;
        this.grow(serialize(doc).length);
      }
    }
    if (this.count > 0 && this.pos + 1 > maxBytes) {
      this.pos = mark;
      return false;
    }
    this.count++;
    return true;
  }

  finish(): RawArray {
    this.ensure(1);
    this.buf[this.pos++] = 0;
    this.buf.writeInt32LE(this.pos, 0);
    return new RawArray(this.buf.subarray(0, this.pos), this.count);
  }

  private ensure(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(n);
  }

  private grow(n: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n + 1024));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
}

const holdsRaw = (v: unknown): boolean =>
  v instanceof RawArray || (isPlainDoc(v) && Object.values(v).some((x) => x instanceof RawArray));

/**
 * serialize(doc), splicing in RawArray values (at most one level down, as in a cursor reply). The
 * document is written after `offset` bytes the caller fills in (the wire message header), so the reply
 * is copied once.
 */
export function serializeReply(doc: Document, offset = 0): Uint8Array {
  if (!Object.values(doc).some(holdsRaw)) {
    const plain = serialize(doc);
    if (offset === 0) return plain;
    const out = Buffer.allocUnsafe(offset + plain.length);
    out.set(plain, offset);
    return out;
  }
  const parts = elements(doc);
  const size = 4 + parts.reduce((n, p) => n + p.length, 0) + 1;
  const out = Buffer.allocUnsafe(offset + size);
  out.writeInt32LE(size, offset);
  let at = offset + 4;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  out[at] = 0;
  return out;
}

/** The encoded elements of `doc` in order; runs of ordinary values are serialised together. */
function elements(doc: Document): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let run: Document = {};
  let pending = false;
  const flush = () => {
    if (!pending) return;
    const bytes = serialize(run);
    parts.push(bytes.subarray(4, bytes.length - 1));
    run = {};
    pending = false;
  };
  for (const [key, value] of Object.entries(doc)) {
    if (value instanceof RawArray) {
      flush();
      parts.push(element(ARRAY, key, value.bytes));
    } else if (isPlainDoc(value) && holdsRaw(value)) {
      flush();
      parts.push(element(DOCUMENT, key, serializeReply(value)));
    } else {
      run[key] = value;
      pending = true;
    }
  }
  flush();
  return parts;
}

function element(type: number, key: string, body: Uint8Array): Uint8Array {
  const head = Buffer.from(`\0${key}\0`, 'utf8');
  head[0] = type;
  return Buffer.concat([head, body]);
}

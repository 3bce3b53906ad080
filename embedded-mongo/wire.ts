import { deserialize, type Document } from 'bson';
import { reviveOrdered } from './bson-order.js';
import { serializeReply } from './batch.js';
import { rememberRaw } from './raw.js';

/** Wire opcodes we speak (https://www.mongodb.com/docs/manual/reference/mongodb-wire-protocol/). */
export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;

export const HEADER_SIZE = 16;
export const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
export const MAX_MESSAGE_SIZE = 48_000_000;

const FLAG_CHECKSUM_PRESENT = 1;
const FLAG_MORE_TO_COME = 2;

/**
 * Deserialisation options shared by the wire and the storage: int64 values that fit a double come back as
 * numbers (mongod compares all numeric types by value, so this keeps mingo's comparisons correct).
 */
export const BSON_READ = { promoteLongs: true, promoteValues: true, promoteBuffers: false } as const;

export interface Header {
  length: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

export interface Command {
  /** The command document, with OP_MSG document sequences folded in as arrays. */
  body: Document;
  requestId: number;
  opCode: typeof OP_MSG | typeof OP_QUERY;
  /** OP_MSG moreToCome: the client expects no reply (unacknowledged write). */
  moreToCome: boolean;
}

export class ProtocolError extends Error {}

export function readHeader(buf: Buffer): Header {
  return {
    length: buf.readInt32LE(0),
    requestId: buf.readInt32LE(4),
    responseTo: buf.readInt32LE(8),
    opCode: buf.readInt32LE(12),
  };
}

/** Parses one complete message (header included) into a command; throws ProtocolError on anything malformed. */
export function parseMessage(msg: Buffer): Command {
  const header = readHeader(msg);
  if (header.opCode === OP_MSG) return parseOpMsg(msg, header);
  if (header.opCode === OP_QUERY) return parseOpQuery(msg, header);
  throw new ProtocolError(`unsupported opCode ${header.opCode}`);
}

function readDoc(buf: Buffer, offset: number, end: number): { doc: Document; next: number } {
  if (offset + 5 > end) throw new ProtocolError('truncated BSON document');
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new ProtocolError('invalid BSON document length');
  const doc = reviveOrdered(deserialize(buf.subarray(offset, offset + size), BSON_READ));
  return { doc, next: offset + size };
}

function parseOpMsg(msg: Buffer, header: Header): Command {
  const flags = msg.readUInt32LE(HEADER_SIZE);
  // Bits 0-15 are "required": a flag we do not understand must fail the message.
  if ((flags & 0xfffc) !== 0) throw new ProtocolError(`unsupported OP_MSG flags ${flags}`);
  const end = msg.length - (flags & FLAG_CHECKSUM_PRESENT ? 4 : 0);
  let offset = HEADER_SIZE + 4;
  let body: Document | undefined;
  const sequences: Array<[string, Document[]]> = [];
  while (offset < end) {
    const kind = msg[offset];
    offset += 1;
    if (kind === 0) {
      if (body) throw new ProtocolError('OP_MSG with two body sections');
      const r = readDoc(msg, offset, end);
      body = r.doc;
      offset = r.next;
    } else if (kind === 1) {
      if (offset + 4 > end) throw new ProtocolError('truncated document sequence');
      const size = msg.readInt32LE(offset);
      const seqEnd = offset + size;
      if (size < 5 || seqEnd > end) throw new ProtocolError('invalid document sequence length');
      const nameEnd = msg.indexOf(0, offset + 4);
      if (nameEnd < 0 || nameEnd >= seqEnd) throw new ProtocolError('invalid document sequence identifier');
      const name = msg.toString('utf8', offset + 4, nameEnd);
      const docs: Document[] = [];
      const starts: number[] = [];
      let p = nameEnd + 1;
      while (p < seqEnd) {
        const r = readDoc(msg, p, seqEnd);
        docs.push(r.doc);
        starts.push(p);
        p = r.next;
      }
      starts.push(p);
      rememberRaw(docs, { buf: msg, starts: Uint32Array.from(starts) });
      sequences.push([name, docs]);
      offset = seqEnd;
    } else {
      throw new ProtocolError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new ProtocolError('OP_MSG without a body section');
  for (const [name, docs] of sequences) body[name] = docs;
  return { body, requestId: header.requestId, opCode: OP_MSG, moreToCome: (flags & FLAG_MORE_TO_COME) !== 0 };
}

function parseOpQuery(msg: Buffer, header: Header): Command {
  let offset = HEADER_SIZE + 4;
  const nameEnd = msg.indexOf(0, offset);
  if (nameEnd < 0) throw new ProtocolError('invalid OP_QUERY collection name');
  const fullName = msg.toString('utf8', offset, nameEnd);
  offset = nameEnd + 1 + 8; // numberToSkip, numberToReturn
  const { doc } = readDoc(msg, offset, msg.length);
  // Legacy clients may wrap the command as { $query: {...}, $readPreference: ... }.
  const body: Document = doc.$query && typeof doc.$query === 'object' ? { ...doc.$query } : doc;
  if (body.$db === undefined) body.$db = fullName.split('.')[0] ?? 'admin';
  return { body, requestId: header.requestId, opCode: OP_QUERY, moreToCome: false };
}

let nextRequestId = 1;

/** Encodes a reply in the same protocol the request used; the document is serialised straight after the header. */
export function encodeReply(cmd: Command, reply: Document): Buffer {
  const requestId = nextRequestId++ & 0x7fffffff;
  if (cmd.opCode === OP_MSG) {
    const out = asBuffer(serializeReply(reply, HEADER_SIZE + 5));
    writeHeader(out, requestId, cmd.requestId, OP_MSG);
    out.writeUInt32LE(0, HEADER_SIZE);
    out[HEADER_SIZE + 4] = 0;
    return out;
  }
  const out = asBuffer(serializeReply(reply, HEADER_SIZE + 20));
  writeHeader(out, requestId, cmd.requestId, OP_REPLY);
  out.writeInt32LE(0, HEADER_SIZE); // responseFlags
  out.writeBigInt64LE(0n, HEADER_SIZE + 4); // cursorID
  out.writeInt32LE(0, HEADER_SIZE + 12); // startingFrom
  out.writeInt32LE(1, HEADER_SIZE + 16); // numberReturned
  return out;
}

const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function writeHeader(out: Buffer, requestId: number, responseTo: number, opCode: number): void {
  out.writeInt32LE(out.length, 0);
  out.writeInt32LE(requestId, 4);
  out.writeInt32LE(responseTo, 8);
  out.writeInt32LE(opCode, 12);
}

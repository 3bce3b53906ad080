import net from 'node:net';
import { deserialize, serialize, type Document } from 'bson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDb, type TestDb } from '../support/test-mongo.js';

const OP_MSG = 2013;
const OP_QUERY = 2004;

function header(length: number, requestId: number, opCode: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(0, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

function opMsg(body: Document, flags = 0, sequence?: [string, Document[]]): Buffer {
  const parts: Buffer[] = [Buffer.from([0]), Buffer.from(serialize(body))];
  if (sequence) {
    const docs = Buffer.concat(sequence[1].map((d) => Buffer.from(serialize(d))));
    const name = Buffer.from(`${sequence[0]}\0`);
    const size = Buffer.alloc(4);
    size.writeInt32LE(4 + name.length + docs.length);
    parts.push(Buffer.from([1]), size, name, docs);
  }
  const f = Buffer.alloc(4);
  f.writeUInt32LE(flags);
  const payload = Buffer.concat([f, ...parts, flags & 1 ? Buffer.alloc(4) : Buffer.alloc(0)]);
  return Buffer.concat([header(16 + payload.length, 7, OP_MSG), payload]);
}

function opQuery(ns: string, query: Document): Buffer {
  const flags = Buffer.alloc(4);
  const name = Buffer.from(`${ns}\0`);
  const skipReturn = Buffer.alloc(8);
  skipReturn.writeInt32LE(-1, 4);
  const payload = Buffer.concat([flags, name, skipReturn, Buffer.from(serialize(query))]);
  return Buffer.concat([header(16 + payload.length, 9, OP_QUERY), payload]);
}

/** Sends raw bytes; resolves with the first reply (or null when the server closes without one). */
function exchange(
  port: number,
  bytes: Buffer,
  waitMs = 500,
): Promise<{ opCode: number; doc: Document } | null> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    let data = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(null);
    }, waitMs);
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      if (data.length >= 4 && data.length >= data.readInt32LE(0)) {
        clearTimeout(timer);
        socket.destroy();
        const opCode = data.readInt32LE(12);
        const docStart = opCode === 1 ? 36 : 21;
        resolve({ opCode, doc: deserialize(data.subarray(docStart, data.readInt32LE(0))) });
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(null);
    });
    socket.on('error', reject);
  });
}

/** Sends raw bytes; resolves with the first `count` replies' documents, in the order they arrived. */
function replies(port: number, bytes: Buffer, count: number): Promise<Document[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    let data = Buffer.alloc(0);
    const docs: Document[] = [];
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      while (data.length >= 4 && data.length >= data.readInt32LE(0)) {
        const length = data.readInt32LE(0);
        docs.push(deserialize(data.subarray(21, length)));
        data = data.subarray(length);
      }
      if (docs.length >= count) {
        socket.destroy();
        resolve(docs);
      }
    });
    socket.on('error', reject);
  });
}

describe('embedded-mongo wire protocol', () => {
  let t: TestDb;
  let port: number;
  beforeAll(async () => {
    t = await useTestDb();
    port = Number(new URL(t.uri).port);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('answers a legacy OP_QUERY handshake with OP_REPLY', async () => {
    const reply = await exchange(port, opQuery('admin.$cmd', { isMaster: 1, helloOk: true }));
    expect(reply?.opCode).toBe(1);
    expect(reply?.doc).toMatchObject({ ismaster: true, maxWireVersion: 21, ok: 1 });
  });

  it('accepts OP_MSG with a checksum and with document sequences', async () => {
    const ping = await exchange(port, opMsg({ ping: 1, $db: 'admin' }, 1));
    expect(ping?.doc).toMatchObject({ ok: 1 });
    const ins = await exchange(
      port,
      opMsg({ insert: 'wire_seq', $db: 'test' }, 0, ['documents', [{ a: 1 }, { a: 2 }]]),
    );
    expect(ins?.doc).toMatchObject({ n: 2, ok: 1 });
  });

  it('applies a moreToCome write without replying', async () => {
    const reply = await exchange(
      port,
      opMsg({ insert: 'wire_mtc', documents: [{ z: 1 }], $db: 'test' }, 2),
      300,
    );
    expect(reply).toBeNull();
    expect(await t.db.collection('wire_mtc').countDocuments()).toBe(1);
  });

  it('answers messages sent together in order, a read after a write seeing the write', async () => {
    const batch = Buffer.concat([
      opMsg({ insert: 'wire_order', documents: [{ _id: 1, v: 'written' }], $db: 'test' }),
      opMsg({ find: 'wire_order', filter: { _id: 1 }, $db: 'test' }),
      opMsg({ ping: 1, $db: 'admin' }),
      opMsg({ insert: 'wire_order', documents: [{ _id: 2 }], $db: 'test' }),
      opMsg({ count: 'wire_order', $db: 'test' }),
    ]);
    const [insert, find, ping, second, count] = await replies(port, batch, 5);
    expect(insert).toMatchObject({ n: 1, ok: 1 });
    expect(find?.cursor.firstBatch).toEqual([{ _id: 1, v: 'written' }]);
    expect(ping).toMatchObject({ ok: 1 });
    expect(second).toMatchObject({ n: 1, ok: 1 });
    expect(count).toMatchObject({ n: 2, ok: 1 });
  });

  it.each([
    ['garbage bytes', Buffer.concat([header(40, 1, OP_MSG), Buffer.alloc(24, 0xab)])],
    ['a length above maxMessageSizeBytes', header(64 * 1024 * 1024, 1, OP_MSG)],
    ['a length below the header size', header(8, 1, OP_MSG)],
    ['a negative length', header(-5, 1, OP_MSG)],
    ['an unknown opCode', Buffer.concat([header(20, 1, 9999), Buffer.alloc(4)])],
    [
      'a BSON body overrunning the message',
      (() => {
        const m = opMsg({ ping: 1, $db: 'admin' });
        m.writeInt32LE(1000, 21);
        return m;
      })(),
    ],
  ])('closes a connection that sends %s, without affecting other clients', async (_label, bytes) => {
    const closed = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
      socket.on('data', () => resolve(false));
      socket.on('close', () => resolve(true));
      socket.on('error', () => undefined);
      setTimeout(() => {
        socket.destroy();
        resolve(false);
      }, 2000);
    });
    expect(closed).toBe(true);
    expect(await t.db.command({ ping: 1 })).toMatchObject({ ok: 1 });
  });
});

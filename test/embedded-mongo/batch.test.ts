import { deserialize, Long, serialize } from 'bson';
import { describe, expect, it } from 'vitest';
import { BatchWriter, serializeReply } from '../../embedded-mongo/batch.js';

const docs = [
  { _id: 1, name: 'ann', at: new Date(5), tags: ['a', 'b'] },
  { _id: 'two', nested: { x: 1.5, y: null }, big: 'x'.repeat(40_000) },
  { _id: 3 },
];

function encode(items: object[], maxBytes = Infinity) {
  const w = new BatchWriter();
  const taken: object[] = [];
  for (const d of items) {
    if (!w.add(d, maxBytes)) break;
    taken.push(d);
  }
  return { raw: w.finish(), taken };
}

describe('cursor batches encoded once', () => {
  it('splices a batch into its reply exactly as serialising the whole reply would', () => {
    const { raw } = encode(docs);
    const reply = { cursor: { id: Long.fromNumber(7), ns: 'db.c', firstBatch: raw }, ok: 1 };
    const plain = { cursor: { id: Long.fromNumber(7), ns: 'db.c', firstBatch: docs }, ok: 1 };
    expect(Buffer.from(serializeReply(reply))).toEqual(Buffer.from(serialize(plain)));
  });

  it('stops before a document that would pass the byte limit, but always takes a first one', () => {
    const { raw, taken } = encode(docs, 1000);
    expect(taken).toHaveLength(1);
    expect(deserialize(raw.bytes)).toEqual({ 0: docs[0] });
    expect(encode([docs[1] as object], 10).taken).toHaveLength(1);
  });

  it('serialises replies without a raw batch as usual', () => {
    const reply = { n: 1, ok: 1 };
    expect(Buffer.from(serializeReply(reply))).toEqual(Buffer.from(serialize(reply)));
  });

  it.each([
    [
      'with a raw batch',
      { cursor: { id: Long.fromNumber(0), ns: 'db.c', nextBatch: encode(docs).raw }, ok: 1 },
    ],
    ['without one', { n: 2, ok: 1 }],
  ])('leaves room for the message header before a reply %s', (_label, reply) => {
    const plain = Buffer.from(serializeReply(reply));
    const framed = Buffer.from(serializeReply(reply, 21));
    expect(framed).toHaveLength(21 + plain.length);
    expect(framed.subarray(21)).toEqual(plain);
  });
});

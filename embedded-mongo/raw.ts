/**
 * The exact BSON bytes a client sent for each document of an OP_MSG document sequence, keyed by the
 * array the sequence became, so the journal can write inserted documents without serialising them again.
 */
const rawBson = new WeakMap<object, Uint8Array[]>();

export function rememberRaw(docs: object[], bytes: Uint8Array[]): void {
  rawBson.set(docs, bytes);
}

export function rawOf(docs: object[]): Uint8Array[] | undefined {
  return rawBson.get(docs);
}

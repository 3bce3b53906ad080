/**
 * Where each document of an OP_MSG document sequence sits in the received message, keyed by the array
 * the sequence became, so the journal can copy inserted documents' bytes instead of serialising them
 * again. Offsets rather than per-document views keep large batches cheap.
 */
export interface RawSpans {
  buf: Buffer;
  /** Document i spans buf[starts[i] .. starts[i + 1]). */
  starts: Uint32Array;
}

const rawBson = new WeakMap<object, RawSpans>();

export function rememberRaw(docs: object[], spans: RawSpans): void {
  rawBson.set(docs, spans);
}

export function rawOf(docs: object[]): RawSpans | undefined {
  return rawBson.get(docs);
}

/** The bytes of document i as [buf, start, end]. */
export type RawRef = [buf: Buffer, start: number, end: number];

export function rawRef(spans: RawSpans | undefined, i: number): RawRef | undefined {
  if (!spans || i + 1 >= spans.starts.length) return undefined;
  return [spans.buf, spans.starts[i] as number, spans.starts[i + 1] as number];
}

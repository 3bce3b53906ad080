import { HEADER_SIZE, MAX_MESSAGE_SIZE, ProtocolError } from './wire.js';

/**
 * Splits a TCP byte stream into wire messages. Chunks are only joined once a whole message is there
 * (joining on every chunk would be quadratic for large batches), and a bad length prefix is rejected
 * as soon as its 4 bytes arrive, before anything more is buffered.
 */
export class MessageFramer {
  private chunks: Buffer[] = [];
  private bytes = 0;
  private expected = -1;

  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    const messages: Buffer[] = [];
    for (;;) {
      if (this.expected < 0) {
        if (this.bytes < 4) break;
        const first = this.chunks[0] as Buffer;
        this.expected = (first.length >= 4 ? first : this.flatten()).readInt32LE(0);
        if (this.expected < HEADER_SIZE || this.expected > MAX_MESSAGE_SIZE) {
          throw new ProtocolError(`invalid message length ${this.expected}`);
        }
      }
      if (this.bytes < this.expected) break;
      const all = this.flatten();
      messages.push(all.subarray(0, this.expected));
      const rest = all.subarray(this.expected);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.bytes = rest.length;
      this.expected = -1;
    }
    return messages;
  }

  private flatten(): Buffer {
    const all =
      this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.bytes);
    this.chunks = [all];
    return all;
  }
}

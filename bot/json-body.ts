import type { IncomingMessage } from 'node:http';

/** Activities are small; anything bigger is refused before it reaches the bot. */
export const MAX_BODY_BYTES = 256 * 1024;

export type BodyResult = { ok: true; body: unknown } | { ok: false; status: 400 | 413 | 415; error: string };

/**
 * `application/json` (UTF-8) only. Decided from the header alone, before a byte of the body is read:
 * there is no multipart or form parser in this server, so nothing a caller sends reaches the disk.
 */
export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const [type, ...params] = header.split(';').map((p) => p.trim().toLowerCase());
  if (type !== 'application/json') return false;
  const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length);
  return charset === undefined || charset.replace(/"/g, '') === 'utf-8';
}

/**
 * Reads a JSON body into memory, at most `maxBytes` (declared length checked first, then while reading).
 * The caller has already checked the content type.
 */
export async function readJsonBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<BodyResult> {
  const tooLarge = {
    ok: false,
    status: 413,
    error: `The body is larger than ${maxBytes} bytes.`,
  } as const;
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return tooLarge;
    chunks.push(chunk as Buffer);
  }
  try {
    return { ok: true, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch {
    return { ok: false, status: 400, error: 'The body is not valid JSON.' };
  }
}

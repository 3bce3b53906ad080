import { DomainError, ErrorCode } from '../../core/errors.js';

/** How an attachment may be fetched; built once from configuration in the composition root. */
export interface DownloadLimits {
  /** Largest file accepted, in bytes: checked on Content-Length before reading and while reading. */
  maxBytes: number;
  /** For the whole download, redirects and body included. */
  timeoutMs: number;
  /** Plain http to this machine (127.0.0.1, localhost, [::1]) — for tests and local tools, never production. */
  allowLoopbackHttp: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const MAX_REDIRECTS = 3;

export const refuse = (message: string) =>
  new DomainError(ErrorCode.InvalidInput, `${message} Nothing was imported.`);

const megabytes = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;

export const tooLarge = (limits: Pick<DownloadLimits, 'maxBytes'>) =>
  refuse(`The file is larger than ${megabytes(limits.maxBytes)}, the most I import at once. Split it.`);

/**
 * Only https (and loopback http when allowed): a Teams file link is https, and refusing everything
 * else keeps a crafted attachment from making the bot fetch internal addresses in plain text.
 * The URL is never echoed: Teams download links carry an access token.
 */
function checkedUrl(raw: string, limits: DownloadLimits): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('The attachment link is not a valid URL; attach the file again.');
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && limits.allowLoopbackHttp && LOOPBACK.has(url.hostname)) return url;
  throw refuse('I only download attachments over https; attach the file again from Teams.');
}

async function readCapped(body: ReadableStream<Uint8Array>, limits: DownloadLimits): Promise<Buffer> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limits.maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limits);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Follows up to 3 redirects by hand, so that every hop passes the same URL check. */
async function fetchChecked(url: URL, limits: DownloadLimits, signal: AbortSignal): Promise<Response> {
  let current = url;
  for (let hop = 0; ; hop++) {
    const res = await fetch(current, { redirect: 'manual', signal });
    const location = res.headers.get('location');
    if (res.status < 300 || res.status > 399 || !location) return res;
    await res.body?.cancel().catch(() => undefined);
    if (hop >= MAX_REDIRECTS) throw refuse('The attachment link redirects too often; attach the file again.');
    current = checkedUrl(new URL(location, current).toString(), limits);
  }
}

/**
 * Downloads an attachment as bytes: size-capped before and while reading, time-limited, https only.
 * Every failure is a DomainError a person can act on; the caller decodes and validates the content.
 */
export async function downloadBytes(rawUrl: string, limits: DownloadLimits): Promise<Buffer> {
  const url = checkedUrl(rawUrl, limits);
  const signal = AbortSignal.timeout(limits.timeoutMs);
  try {
    const res = await fetchChecked(url, limits, signal);
    if (!res.ok || !res.body) {
      await res.body?.cancel().catch(() => undefined);
      throw refuse(`I could not download the file (HTTP ${res.status}); attach it again.`);
    }
    const length = Number(res.headers.get('content-length') ?? NaN);
    if (Number.isFinite(length) && length > limits.maxBytes) {
      await res.body.cancel().catch(() => undefined);
      throw tooLarge(limits);
    }
    return await readCapped(res.body, limits);
  } catch (e) {
    if (e instanceof DomainError) throw e;
    if (signal.aborted) {
      throw refuse(
        `Downloading the file took longer than ${Math.max(1, Math.round(limits.timeoutMs / 1000))} s; try again.`,
      );
    }
    throw refuse('I could not download the file (the link did not answer); attach it again.');
  }
}

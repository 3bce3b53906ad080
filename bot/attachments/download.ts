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

/**
 * Where Teams puts what a user attaches, by kind of attachment: a file uploaded in a personal chat
 * (application/vnd.microsoft.teams.file.download.info) has its downloadUrl in the user's OneDrive or a
 * SharePoint site (`<tenant>-my.sharepoint.com`, `<tenant>.sharepoint.com`; `sharepoint-df.com` for
 * Microsoft's own test rings); an inline attachment is served by the Bot Framework connector
 * (smba.trafficmanager.net, *.botframework.com, or the Teams object store *.asm.skype.com).
 * A link anywhere else is refused before any request: the bot never becomes a fetcher of arbitrary URLs.
 */
export const TEAMS_FILE_HOSTS: readonly string[] = ['.sharepoint.com', '.sharepoint-df.com'];
export const INLINE_ATTACHMENT_HOSTS: readonly string[] = [
  'smba.trafficmanager.net',
  '.botframework.com',
  '.asm.skype.com',
];

/** `.example.com` matches any subdomain of example.com; `example.com` only itself. */
export const hostAllowed = (host: string, hosts: readonly string[]): boolean =>
  hosts.some((h) => (h.startsWith('.') ? host.endsWith(h) && host.length > h.length : host === h));

export const refuse = (message: string) =>
  new DomainError(ErrorCode.InvalidInput, `${message} Nothing was imported.`);

const megabytes = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;

export const tooLarge = (limits: Pick<DownloadLimits, 'maxBytes'>) =>
  refuse(`The file is larger than ${megabytes(limits.maxBytes)}, the most I import at once. Split it.`);

/**
 * Only https to the hosts Teams uses for this kind of attachment (and loopback http when allowed, for
 * tests and local tools): refusing everything else keeps a crafted attachment from making the bot fetch
 * other addresses. The URL is never echoed: Teams download links carry an access token.
 */
function checkedUrl(raw: string, limits: DownloadLimits, hosts: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('The attachment link is not a valid URL; attach the file again.');
  }
  if (url.protocol === 'http:' && limits.allowLoopbackHttp && LOOPBACK.has(url.hostname)) return url;
  if (url.protocol !== 'https:') {
    throw refuse('I only download attachments over https; attach the file again from Teams.');
  }
  if (!hostAllowed(url.hostname.toLowerCase(), hosts)) {
    throw refuse(
      'I only download attachments from where Teams stores them (OneDrive, SharePoint or the Teams ' +
        'service), and this link points elsewhere; attach the file again from Teams.',
    );
  }
  return url;
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
async function fetchChecked(
  url: URL,
  limits: DownloadLimits,
  hosts: readonly string[],
  signal: AbortSignal,
): Promise<Response> {
  let current = url;
  for (let hop = 0; ; hop++) {
    const res = await fetch(current, { redirect: 'manual', signal });
    const location = res.headers.get('location');
    if (res.status < 300 || res.status > 399 || !location) return res;
    await res.body?.cancel().catch(() => undefined);
    if (hop >= MAX_REDIRECTS) throw refuse('The attachment link redirects too often; attach the file again.');
    current = checkedUrl(new URL(location, current).toString(), limits, hosts);
  }
}

/**
 * Downloads an attachment as bytes from one of `hosts`: size-capped before and while reading,
 * time-limited, https only. Every failure is a DomainError a person can act on; the caller decodes and
 * validates the content.
 */
export async function downloadBytes(
  rawUrl: string,
  limits: DownloadLimits,
  hosts: readonly string[] = TEAMS_FILE_HOSTS,
): Promise<Buffer> {
  const url = checkedUrl(rawUrl, limits, hosts);
  const signal = AbortSignal.timeout(limits.timeoutMs);
  try {
    const res = await fetchChecked(url, limits, hosts, signal);
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

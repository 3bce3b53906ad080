import { randomUUID } from 'node:crypto';

/**
 * Dataverse $batch in its multipart/mixed form (OData 4.0 §11.7): requests one after another, change
 * sets as nested multiparts whose requests succeed or fail together. ≤ 1000 requests per batch.
 */
export const DV_MAX_BATCH = 1000;

export interface DvBatchRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Absolute URL on the organisation's Web API. */
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

export type DvBatchPart = { request: DvBatchRequest } | { changeSet: DvBatchRequest[] };

export interface DvPartResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A plain response, or — for a change set that succeeded — one response per request in it. */
export type DvBatchAnswer = DvPartResponse | DvPartResponse[];

const CRLF = '\r\n';

export function dvBatchBody(parts: readonly DvBatchPart[]): { contentType: string; body: string } {
  const boundary = `batch_${randomUUID()}`;
  const lines: string[] = [];
  let contentId = 0;
  for (const part of parts) {
    lines.push(`--${boundary}`);
    if ('request' in part) {
      lines.push(...httpPart(part.request));
      continue;
    }
    const changeSet = `changeset_${randomUUID()}`;
    lines.push(`Content-Type: multipart/mixed; boundary=${changeSet}`, '');
    for (const request of part.changeSet) {
      lines.push(`--${changeSet}`, ...httpPart(request, (contentId += 1)));
    }
    lines.push(`--${changeSet}--`);
  }
  lines.push(`--${boundary}--`, '');
  return { contentType: `multipart/mixed; boundary=${boundary}`, body: lines.join(CRLF) };
}

function httpPart(request: DvBatchRequest, contentId?: number): string[] {
  const mime = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (contentId !== undefined) mime.push(`Content-ID: ${contentId}`);
  const headers = Object.entries(request.headers ?? {}).map(([k, v]) => `${k}: ${v}`);
  if (request.body !== undefined) headers.push('Content-Type: application/json; type=entry');
  return [...mime, '', `${request.method} ${request.url} HTTP/1.1`, ...headers, '', request.body ?? ''];
}

/**
 * Dataverse refused a whole $batch with an OData error object instead of parts (seen with status 200):
 * its own message and code, for every request of the batch.
 */
export class DvBatchRefused extends Error {
  constructor(
    readonly serverMessage: string,
    readonly code: string | undefined,
  ) {
    super(`${serverMessage}${code ? ` [${code}]` : ''}`);
  }
}

/** The OData error object of a JSON body ({"error":{"code","message"}}), if that is what it is. */
function odataError(text: string): DvBatchRefused | undefined {
  try {
    const error = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (!error || typeof error !== 'object') return undefined;
    const message = typeof error.message === 'string' && error.message ? error.message : 'no message given';
    return new DvBatchRefused(message, typeof error.code === 'string' ? error.code : undefined);
  } catch {
    return undefined;
  }
}

/**
 * Reads a multipart/mixed $batch response into one answer per top-level part, in order. A JSON OData
 * error in place of the parts throws DvBatchRefused with the server's words; anything else unreadable
 * throws a plain Error saying what was wrong with it.
 */
export function parseDvBatchResponse(contentType: string, text: string): DvBatchAnswer[] {
  const boundary = boundaryOf(contentType);
  if (!boundary) {
    const refused = odataError(text.trim());
    if (refused) throw refused;
    throw new Error(`the $batch response is not multipart (Content-Type: ${contentType || 'none'})`);
  }
  return splitParts(text, boundary).map((part) => {
    const { headers, body } = splitHead(part);
    const nested = boundaryOf(headers['content-type'] ?? '');
    return nested ? splitParts(body, nested).map((p) => readHttp(splitHead(p).body)) : readHttp(body);
  });
}

function boundaryOf(contentType: string): string | undefined {
  if (!/^\s*multipart\/mixed/i.test(contentType)) return undefined;
  return /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
}

function splitParts(text: string, boundary: string): string[] {
  const end = text.indexOf(`--${boundary}--`);
  if (end < 0) throw new Error('the $batch response ends before its closing boundary (truncated?)');
  return text
    .slice(0, end)
    .split(`--${boundary}`)
    .slice(1)
    .map((p) => p.replace(/^\r?\n/, '').replace(/\r?\n$/, ''));
}

/** Headers (lower-cased) and body of a MIME part or an HTTP message. */
function splitHead(text: string): { headers: Record<string, string>; body: string; first: string } {
  const match = /\r?\n\r?\n/.exec(text);
  const head = match ? text.slice(0, match.index) : text;
  const body = match ? text.slice(match.index + match[0].length) : '';
  const [first = '', ...lines] = head.split(/\r?\n/);
  const headers: Record<string, string> = {};
  for (const line of first.includes(':') && !first.startsWith('HTTP/') ? [first, ...lines] : lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body, first };
}

function readHttp(message: string): DvPartResponse {
  const { headers, body, first } = splitHead(message);
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(first)?.[1]);
  if (!Number.isInteger(status))
    throw new Error(`a $batch part has no HTTP status line ("${first.slice(0, 40)}")`);
  return { status, headers, body: body.trim() };
}

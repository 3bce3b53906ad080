/**
 * The fake Dataverse side of multipart $batch: reading a request body into parts and change sets, and
 * writing the multipart response. Written independently of the connector's own builder/parser.
 */
export interface BatchOperation {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  contentId?: string;
}

export type BatchItem = { operation: BatchOperation } | { changeSet: BatchOperation[] };

export interface OperationReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  400: 'Bad Request',
  404: 'Not Found',
  412: 'Precondition Failed',
};

export function readBatch(contentType: string, body: string): BatchItem[] {
  return parts(body, boundary(contentType)).map((part) => {
    const { headers, rest } = head(part);
    const nested = headers['content-type']?.startsWith('multipart/mixed')
      ? boundary(headers['content-type'])
      : undefined;
    if (nested) return { changeSet: parts(rest, nested).map((p) => operation(p)) };
    return { operation: operation(part) };
  });
}

export function writeBatch(items: Array<OperationReply | OperationReply[]>): {
  contentType: string;
  body: string;
} {
  const b = `batchresponse_${Math.random().toString(16).slice(2)}`;
  const out: string[] = [];
  for (const item of items) {
    out.push(`--${b}`);
    if (!Array.isArray(item)) {
      out.push(...http(item));
      continue;
    }
    const c = `changesetresponse_${Math.random().toString(16).slice(2)}`;
    out.push(`Content-Type: multipart/mixed; boundary=${c}`, '');
    item.forEach((reply, i) => out.push(`--${c}`, ...http(reply, String(i + 1))));
    out.push(`--${c}--`);
  }
  out.push(`--${b}--`, '');
  return { contentType: `multipart/mixed; boundary=${b}`, body: out.join('\r\n') };
}

function http(reply: OperationReply, contentId?: string): string[] {
  const mime = [
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    ...(contentId ? [`Content-ID: ${contentId}`] : []),
  ];
  const headers = Object.entries(reply.headers ?? {}).map(([k, v]) => `${k}: ${v}`);
  const json =
    reply.body === undefined || reply.status === 204
      ? []
      : ['Content-Type: application/json; odata.metadata=minimal'];
  const body = reply.body === undefined || reply.status === 204 ? '' : JSON.stringify(reply.body);
  return [
    ...mime,
    '',
    `HTTP/1.1 ${reply.status} ${REASONS[reply.status] ?? 'Status'}`,
    'OData-Version: 4.0',
    ...json,
    ...headers,
    '',
    body,
  ];
}

function boundary(contentType: string): string {
  const found = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
  if (!found) throw new Error(`no boundary in Content-Type "${contentType}"`);
  return found;
}

function parts(body: string, b: string): string[] {
  const end = body.indexOf(`--${b}--`);
  if (end < 0) throw new Error('batch body without closing boundary');
  return body
    .slice(0, end)
    .split(`--${b}`)
    .slice(1)
    .map((p) => p.replace(/^\r\n/, ''));
}

function head(text: string): { headers: Record<string, string>; rest: string; lines: string[] } {
  const at = text.indexOf('\r\n\r\n');
  const lines = (at < 0 ? text : text.slice(0, at)).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0 && !/^[A-Z]+ \S+ HTTP\/1\.1$/.test(line))
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, rest: at < 0 ? '' : text.slice(at + 4), lines };
}

function operation(part: string): BatchOperation {
  const mime = head(part);
  const request = head(mime.rest);
  const match = /^([A-Z]+) (\S+) HTTP\/1\.1$/.exec(request.lines[0] ?? '');
  if (!match) throw new Error(`batch part without a request line: ${request.lines[0] ?? ''}`);
  return {
    method: match[1] as string,
    url: match[2] as string,
    headers: request.headers,
    body: request.rest.trim(),
    contentId: mime.headers['content-id'],
  };
}

import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { FakeAuthority } from './fake-authority.js';

/**
 * What the fake BC and Dataverse servers share: HTTPS on loopback with the test certificate, bearer
 * tokens checked against the fake authority, 429 + Retry-After on every Nth request, one-shot faults
 * (HTML page, truncated JSON, OData error in a 200, a missing field, any status), a latency, and
 * measurements: every request seen and the highest number in flight at once.
 */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  status?: number;
}

export interface FakeReply {
  status: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as is (with `headers` giving its content type). */
  body?: unknown;
}

export type Fault =
  | { kind: 'html'; status?: number }
  | { kind: 'truncated' }
  | { kind: 'odata-error-200'; message?: string }
  | { kind: 'missing-field'; field: string }
  | { kind: 'status'; status: number; body?: unknown; retryAfter?: string };

export interface FakeBehaviour {
  latencyMs: number;
  /** Answer 429 to every Nth request (0 = never). */
  throttleEvery: number;
  retryAfterSeconds: number;
}

export interface FakeHttps {
  origin: string;
  requests: SeenRequest[];
  behaviour: FakeBehaviour;
  maxInFlight(): number;
  /**
   * Milliseconds this server spent answering, synchronously: checking the token, routing, filtering,
   * serializing (latency and time spent awaiting excluded).
   */
  busyMs(): number;
  resetStats(): void;
  /** The next request matching `when` (default: any) gets this fault instead of its normal answer. */
  failNext(fault: Fault, when?: (request: SeenRequest) => boolean): void;
  close(): Promise<void>;
}

export interface FakeHttpsOptions {
  authority: FakeAuthority;
  /** Token audience this API accepts (its resource URL); set once the origin is known. */
  audience: () => string;
  throttledBody: unknown;
  unauthorizedBody?: unknown;
  behaviour?: Partial<FakeBehaviour>;
}

export async function startFakeHttps(
  options: FakeHttpsOptions,
  route: (request: SeenRequest) => FakeReply | Promise<FakeReply>,
): Promise<FakeHttps> {
  const behaviour: FakeBehaviour = {
    latencyMs: 0,
    throttleEvery: 0,
    retryAfterSeconds: 1,
    ...options.behaviour,
  };
  const requests: SeenRequest[] = [];
  const faults: Array<{ fault: Fault; when: (r: SeenRequest) => boolean }> = [];
  let inFlight = 0;
  let peak = 0;
  let counter = 0;
  let busy = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    res.on('close', () => (inFlight -= 1));
    const url = new URL(req.url ?? '/', 'https://fake');
    const seen: SeenRequest = {
      method: req.method ?? '',
      path: decodeURIComponent(url.pathname),
      query: url.searchParams,
      headers: req.headers,
      body: await readBody(req),
    };
    requests.push(seen);
    const n = (counter += 1);
    if (behaviour.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, behaviour.latencyMs));
    const reply = await answer(seen, n);
    seen.status = reply.status;
    const started = performance.now();
    send(res, reply);
    busy += performance.now() - started;
  }

  /** The answer, and the time spent computing it synchronously (what an awaited span would over-count). */
  async function answer(seen: SeenRequest, n: number): Promise<FakeReply> {
    const started = performance.now();
    const reply = answerNow(seen, n);
    busy += performance.now() - started;
    return reply;
  }

  function answerNow(seen: SeenRequest, n: number): FakeReply | Promise<FakeReply> {
    const check = options.authority.verify(seen.headers.authorization, options.audience());
    if (check !== 'ok') {
      const challenge = `Bearer authorization_uri="${options.authority.origin}", error="invalid_token", error_description="${check}"`;
      return {
        status: 401,
        headers: { 'www-authenticate': challenge },
        body: options.unauthorizedBody ?? '',
      };
    }
    if (behaviour.throttleEvery > 0 && n % behaviour.throttleEvery === 0) {
      return {
        status: 429,
        headers: { 'retry-after': String(behaviour.retryAfterSeconds) },
        body: options.throttledBody,
      };
    }
    const index = faults.findIndex((f) => f.when(seen));
    const fault = index >= 0 ? faults.splice(index, 1)[0]?.fault : undefined;
    if (fault?.kind === 'status') {
      const headers = fault.retryAfter ? { 'retry-after': fault.retryAfter } : undefined;
      return { status: fault.status, headers, body: fault.body ?? '' };
    }
    if (fault?.kind === 'html') {
      const page =
        '<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body><h1>Try later</h1></body></html>';
      return { status: fault.status ?? 200, headers: { 'content-type': 'text/html' }, body: page };
    }
    if (fault?.kind === 'odata-error-200') {
      return {
        status: 200,
        body: { error: { code: 'Internal_ServerError', message: fault.message ?? 'Something went wrong.' } },
      };
    }
    const routed = route(seen);
    return routed instanceof Promise ? routed.then((r) => withFault(r, fault)) : withFault(routed, fault);
  }

  function withFault(reply: FakeReply, fault: Fault | undefined): FakeReply {
    if (fault?.kind === 'truncated' && typeof reply.body === 'object') {
      const text = JSON.stringify(reply.body);
      return {
        ...reply,
        headers: { ...reply.headers, 'content-type': 'application/json' },
        body: text.slice(0, Math.floor(text.length / 2)),
      };
    }
    if (fault?.kind === 'missing-field') removeField(reply.body, fault.field);
    return reply;
  }

  const server = createServer(
    { key: options.authority.tls.keyPem, cert: options.authority.tls.certPem },
    (req, res) => {
      handle(req, res).catch((error: unknown) =>
        send(res, { status: 500, body: { error: { code: 'FakeBug', message: String(error) } } }),
      );
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    behaviour,
    maxInFlight: () => peak,
    busyMs: () => busy,
    resetStats: () => {
      requests.length = 0;
      busy = 0;
      peak = inFlight;
      counter = 0;
    },
    failNext: (fault, when = () => true) => faults.push({ fault, when }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Drops a field from a single entity or from the first entity of a collection page. */
function removeField(body: unknown, field: string): void {
  const target = (body as { value?: unknown[] } | null)?.value?.[0] ?? body;
  if (target && typeof target === 'object') delete (target as Record<string, unknown>)[field];
}

function send(res: ServerResponse, reply: FakeReply): void {
  const isText = typeof reply.body === 'string';
  const headers = {
    'content-type': isText ? 'text/plain' : 'application/json; odata.metadata=minimal',
    ...reply.headers,
  };
  res.writeHead(reply.status, headers);
  res.end(
    reply.body === undefined || reply.status === 204
      ? undefined
      : isText
        ? reply.body
        : JSON.stringify(reply.body),
  );
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { ConnectorError } from '../../core/ports/errors.js';
import { noTelemetry, type SpanScope, type Telemetry } from '../../core/ports/telemetry.js';
import { describeFetchFailure } from './msal-network.js';
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  isIdempotent,
  mayRetry,
  parseRetryAfter,
  type RetryPolicy,
} from './retry-policy.js';
import { Semaphore, type Lane } from './semaphore.js';
import { GateClosedError, ThrottleGate } from './throttle-gate.js';
import type { TokenProvider } from './token-provider.js';

export type RemoteSystem = 'Business Central' | 'Dataverse';

export interface HttpClientOptions {
  system: RemoteSystem;
  /** Every request (nextLinks included) must stay on this origin: the bearer token never leaves it. */
  origin: string;
  scope: string;
  tokens: TokenProvider;
  logger: Logger;
  maxConcurrency: number;
  /** Of maxConcurrency, how many background requests may hold at once (default: all but a quarter). */
  backgroundConcurrency?: number;
  /** `retry.maxTotalMs` is the budget of one operation: queueing, attempts and waits included. */
  retry?: Partial<RetryPolicy>;
  /** Per attempt (default 30 s); an attempt also ends when the operation's budget does. */
  timeoutMs?: number;
  /** Defaults to global fetch (undici), trusting Node's CA store plus NODE_EXTRA_CA_CERTS. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /** A span per request (carrying its correlation id), request/retry/429 counts. */
  telemetry?: Telemetry;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /**
   * May the request be repeated after a timeout, a network error or a 5xx? Default: GET, and PATCH or
   * DELETE carrying If-Match (isIdempotent); a POST only when the caller knows it is safe (a $batch of
   * guarded updates).
   */
  idempotent?: boolean;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** What the lanes of one connector share: the concurrency cap, the 429 pause and the counters. */
interface Shared {
  slots: Semaphore;
  gate: ThrottleGate;
  stats: { attempts: number; retried: number; throttled: number; tokenRefreshes: number };
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * The one way the connectors talk HTTP: bearer token, concurrency cap, retries with backoff honouring
 * Retry-After (and pausing every request after a 429), one token refresh on 401, and a log line per
 * attempt without headers or query strings. Statuses that are not retried are returned to the caller.
 */
export class HttpClient {
  private readonly shared: Shared;
  private readonly policy: RetryPolicy;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly log: Logger;
  private readonly telemetry: Telemetry;

  constructor(
    private readonly options: HttpClientOptions,
    /** The lane this client's requests use; `inLane` makes the other one. */
    readonly lane: Lane = 'interactive',
    shared?: Shared,
  ) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
    this.log = options.logger.child({ component: 'http', system: options.system, lane });
    this.telemetry = options.telemetry ?? noTelemetry;
    this.shared = shared ?? {
      slots: new Semaphore(options.maxConcurrency, options.backgroundConcurrency),
      gate: new ThrottleGate(this.sleep, this.now),
      stats: { attempts: 0, retried: 0, throttled: 0, tokenRefreshes: 0 },
    };
  }

  /** The same connector (cap, 429 pause, counters) for the other lane's requests. */
  inLane(lane: Lane): HttpClient {
    return lane === this.lane ? this : new HttpClient(this.options, lane, this.shared);
  }

  get system(): RemoteSystem {
    return this.options.system;
  }

  get stats(): Shared['stats'] {
    return this.shared.stats;
  }

  /** Highest number of requests this connector had on the wire at once. */
  get maxInFlight(): number {
    return this.shared.slots.maxInUse;
  }

  async send(request: HttpRequest): Promise<HttpResponse> {
    this.assertOrigin(request.url);
    const correlationId = randomUUID();
    const idempotent = request.idempotent ?? isIdempotent(request.method, request.headers);
    const started = this.now();
    const deadline = started + this.policy.maxTotalMs;
    let rejected: string | undefined;
    for (let attempt = 1; ; attempt += 1) {
      const token = await this.token(rejected);
      const outcome = await this.attempt(request, token, correlationId, attempt, deadline);
      if ('failure' in outcome) {
        const delay = backoffDelay(attempt - 1, this.policy, this.options.random ?? Math.random);
        // A reset or a timeout may hide a create that happened: only idempotent requests are repeated.
        if (!idempotent || !this.mayTryAgain(attempt, deadline, delay))
          throw this.unreachable(request.url, outcome.failure);
        await this.pause(delay, 'network-error');
        continue;
      }
      const response = outcome.response;
      if (response.status === 401 && rejected === undefined) {
        // An expired or revoked token: one fresh token, one more try.
        rejected = token;
        this.stats.tokenRefreshes += 1;
        this.telemetry.connectorRetry({ system: this.system, reason: '401' });
        continue;
      }
      if (!mayRetry(response.status, idempotent)) return response;
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'), this.now());
      const delay = retryAfter ?? backoffDelay(attempt - 1, this.policy, this.options.random ?? Math.random);
      if (!this.mayTryAgain(attempt, deadline, delay)) {
        // Beyond this operation's budget, the API's wish still holds for every other request.
        if (response.status === 429) this.shared.gate.hold(delay);
        return response;
      }
      await this.pause(delay, String(response.status));
    }
  }

  private mayTryAgain(attempt: number, deadline: number, delay: number): boolean {
    return attempt < this.policy.maxAttempts && this.now() + delay <= deadline;
  }

  /** `reason`: the status that asked for another try, or 'network-error'. */
  private async pause(delay: number, reason: string): Promise<void> {
    this.stats.retried += 1;
    this.telemetry.connectorRetry({ system: this.system, reason });
    if (reason !== '429') return this.sleep(delay);
    // The limit is per user, not per request: hold every request of this client until the wait is over.
    this.stats.throttled += 1;
    await this.shared.gate.close(delay);
  }

  private async attempt(
    request: HttpRequest,
    token: string,
    correlationId: string,
    attempt: number,
    deadline: number,
  ): Promise<{ response: HttpResponse } | { failure: unknown }> {
    const budgetLeft = () => Math.max(0, deadline - this.now());
    let release: () => void;
    try {
      release = await this.shared.slots.acquire(this.lane, AbortSignal.timeout(budgetLeft()));
    } catch (error) {
      throw this.outOfBudget(request.url, error);
    }
    try {
      // Checked with the slot in hand: requests queued before a 429 must wait too, not burst out after it.
      await this.shared.gate.pass(deadline);
    } catch (error) {
      release();
      throw this.outOfBudget(request.url, error);
    }
    const url = new URL(request.url);
    const timeoutMs = Math.min(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS, budgetLeft());
    const line = { method: request.method, host: url.host, path: url.pathname, correlationId, attempt };
    const spanAttributes = {
      'http.request.method': request.method,
      'server.address': url.host,
      'url.path': url.pathname,
      'connector.system': this.system,
      'http.request.resend_count': attempt - 1,
      correlationId,
    };
    try {
      return await this.telemetry.inSpan(
        `${request.method} ${this.system}`,
        'client',
        spanAttributes,
        (span) => this.exchange({ request, token, correlationId, timeoutMs, line }, span),
      );
    } finally {
      release();
    }
  }

  /** One request on the wire: a log line, a span and a metric each, whatever the outcome. */
  private async exchange(
    call: {
      request: HttpRequest;
      token: string;
      correlationId: string;
      timeoutMs: number;
      line: Record<string, unknown>;
    },
    span: SpanScope,
  ): Promise<{ response: HttpResponse } | { failure: unknown }> {
    const { request, token, correlationId, timeoutMs, line } = call;
    const started = this.now();
    try {
      this.stats.attempts += 1;
      const signal = AbortSignal.timeout(timeoutMs);
      const response = await this.fetchImpl(request.url, {
        method: request.method,
        headers: {
          accept: 'application/json',
          ...request.headers,
          authorization: `Bearer ${token}`,
          'x-ms-client-request-id': correlationId,
        },
        body: request.body,
        signal,
      });
      // The timeout covers the body too: a server that stalls mid-answer is cut off as well.
      const text = await response.text();
      const durationMs = this.now() - started;
      const requestId =
        response.headers.get('request-id') ?? response.headers.get('x-ms-service-request-id') ?? undefined;
      const level = response.status < 400 ? 'info' : 'warn';
      this.log[level]({ ...line, status: response.status, durationMs, requestId }, 'http request');
      span.set({ 'http.response.status_code': response.status, requestId });
      if (response.status >= 400) span.fail(`HTTP ${response.status}`);
      this.telemetry.connectorRequest({ system: this.system, status: response.status });
      if (response.status === 429) this.telemetry.connectorThrottled({ system: this.system });
      return { response: { status: response.status, headers: response.headers, text } };
    } catch (caught) {
      const failure = isTimeout(caught) ? new AttemptTimeoutError(timeoutMs) : caught;
      const error = describeFetchFailure(failure);
      this.log.warn({ ...line, durationMs: this.now() - started, error }, 'http request failed');
      span.fail(error);
      this.telemetry.connectorRequest({ system: this.system, status: 'network-error' });
      return { failure };
    }
  }

  /** Waiting for a slot or for the end of a 429 pause would overrun the operation's budget. */
  private outOfBudget(url: string, error: unknown): ConnectorError {
    const host = new URL(url).host;
    if (error instanceof GateClosedError) {
      return new ConnectorError(
        this.system,
        `${this.system} (${host}) asked us to pause until ${new Date(error.until).toISOString()} (too many ` +
          'requests); try again after that',
        429,
        { cause: error },
      );
    }
    if (isTimeout(error)) {
      return new ConnectorError(
        this.system,
        `${this.system} (${host}) is busy with other requests of this bot; nothing was sent within ` +
          `${Math.round(this.policy.maxTotalMs / 1000)} s. Try again in a moment`,
        undefined,
        { cause: error },
      );
    }
    throw error;
  }

  private unreachable(url: string, failure: unknown): ConnectorError {
    const reason = describeFetchFailure(failure);
    return new ConnectorError(
      this.system,
      `${this.system} could not be reached at ${new URL(url).host}: ${reason}`,
      undefined,
      {
        cause: failure,
      },
    );
  }

  private async token(rejected: string | undefined): Promise<string> {
    try {
      return await this.options.tokens.getToken(this.options.scope, rejected);
    } catch (error) {
      throw new ConnectorError(this.system, `${this.system}: ${(error as Error).message}`, 401, {
        cause: error,
      });
    }
  }

  private assertOrigin(url: string): void {
    const origin = new URL(url).origin;
    if (origin !== new URL(this.options.origin).origin) {
      throw new ConnectorError(
        this.system,
        `${this.system} sent a link to ${origin}; refusing to send the token there`,
      );
    }
  }
}

/** One attempt got no (complete) answer within its timeout. */
export class AttemptTimeoutError extends Error {
  override readonly name = 'AttemptTimeoutError';
  constructor(timeoutMs: number) {
    super(`no answer within ${Math.round(timeoutMs / 100) / 10} s`);
  }
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}

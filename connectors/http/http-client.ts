import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { ConnectorError } from '../../core/ports/errors.js';
import { noTelemetry, type SpanScope, type Telemetry } from '../../core/ports/telemetry.js';
import { describeFetchFailure } from './msal-network.js';
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  mayRetry,
  parseRetryAfter,
  type RetryPolicy,
} from './retry-policy.js';
import { Semaphore } from './semaphore.js';
import { ThrottleGate } from './throttle-gate.js';
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
  retry?: Partial<RetryPolicy>;
  /** Per attempt; BC's own operation timeout is 8 minutes. */
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
  /** May the request be repeated after a timeout? Defaults to true except for POST. */
  idempotent?: boolean;
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
  private readonly slots: Semaphore;
  private readonly policy: RetryPolicy;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly log: Logger;
  private readonly gate: ThrottleGate;
  private readonly telemetry: Telemetry;
  readonly stats = { attempts: 0, retried: 0, throttled: 0, tokenRefreshes: 0 };

  constructor(private readonly options: HttpClientOptions) {
    this.slots = new Semaphore(options.maxConcurrency);
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
    this.log = options.logger.child({ component: 'http', system: options.system });
    this.gate = new ThrottleGate(this.sleep, this.now);
    this.telemetry = options.telemetry ?? noTelemetry;
  }

  get system(): RemoteSystem {
    return this.options.system;
  }

  /** Highest number of requests this client had on the wire at once. */
  get maxInFlight(): number {
    return this.slots.maxInUse;
  }

  async send(request: HttpRequest): Promise<HttpResponse> {
    this.assertOrigin(request.url);
    const correlationId = randomUUID();
    const idempotent = request.idempotent ?? request.method !== 'POST';
    const started = this.now();
    let rejected: string | undefined;
    for (let attempt = 1; ; attempt += 1) {
      const token = await this.token(rejected);
      const outcome = await this.attempt(request, token, correlationId, attempt);
      if ('failure' in outcome) {
        const delay = backoffDelay(attempt - 1, this.policy, this.options.random ?? Math.random);
        // Connection resets and timeouts are usually transient, but a create may have happened: not repeated.
        if (!idempotent || !this.mayTryAgain(attempt, started, delay))
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
      if (!this.mayTryAgain(attempt, started, delay)) return response;
      await this.pause(delay, String(response.status));
    }
  }

  private mayTryAgain(attempt: number, started: number, delay: number): boolean {
    return attempt < this.policy.maxAttempts && this.now() + delay - started <= this.policy.maxTotalMs;
  }

  /** `reason`: the status that asked for another try, or 'network-error'. */
  private async pause(delay: number, reason: string): Promise<void> {
    this.stats.retried += 1;
    this.telemetry.connectorRetry({ system: this.system, reason });
    if (reason !== '429') return this.sleep(delay);
    // The limit is per user, not per request: hold every request of this client until the wait is over.
    this.stats.throttled += 1;
    await this.gate.close(delay);
  }

  private async attempt(
    request: HttpRequest,
    token: string,
    correlationId: string,
    attempt: number,
  ): Promise<{ response: HttpResponse } | { failure: unknown }> {
    const release = await this.slots.acquire();
    try {
      // Checked with the slot in hand: requests queued before a 429 must wait too, not burst out after it.
      await this.gate.pass();
    } catch (error) {
      release();
      throw error;
    }
    const url = new URL(request.url);
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
        (span) => this.exchange(request, token, correlationId, line, span),
      );
    } finally {
      release();
    }
  }

  /** One request on the wire: a log line, a span and a metric each, whatever the outcome. */
  private async exchange(
    request: HttpRequest,
    token: string,
    correlationId: string,
    line: Record<string, unknown>,
    span: SpanScope,
  ): Promise<{ response: HttpResponse } | { failure: unknown }> {
    const started = this.now();
    try {
      this.stats.attempts += 1;
      const response = await this.fetchImpl(request.url, {
        method: request.method,
        headers: {
          accept: 'application/json',
          ...request.headers,
          authorization: `Bearer ${token}`,
          'x-ms-client-request-id': correlationId,
        },
        body: request.body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 480_000),
      });
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
    } catch (failure) {
      const error = describeFetchFailure(failure);
      this.log.warn({ ...line, durationMs: this.now() - started, error }, 'http request failed');
      span.fail(error);
      this.telemetry.connectorRequest({ system: this.system, status: 'network-error' });
      return { failure };
    }
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

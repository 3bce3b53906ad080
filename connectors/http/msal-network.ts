import {
  AuthError,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';
import { noTelemetry, type SpanScope, type Telemetry } from '../../core/ports/telemetry.js';

/**
 * msal-node's network module, on an injectable fetch and fenced to one origin: token acquisition may
 * only ever talk to the configured authority host (no instance discovery against the public cloud,
 * no region discovery, nothing else). A request elsewhere is refused before it leaves the process.
 * Failures are AuthErrors (msal rethrows those as they are) and the sentence is kept in `lastFailure`,
 * since msal 7 replaces error messages by a documentation link.
 */
export interface AuthorityNetworkClient extends INetworkModule {
  /** The last failure (a sentence about the authority host), kept because msal swallows some (OpenID metadata) and reports a generic error. */
  lastFailure: string | undefined;
}

export interface AuthorityNetworkOptions {
  /** Per attempt (default 30 s). */
  timeoutMs?: number;
  /** All attempts of one request (default 60 s). */
  budgetMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** A span per request to the authority, request and retry counts. */
  telemetry?: Telemetry;
}

const TOKEN_ATTEMPTS = 3;
const TRANSIENT = new Set([500, 502, 503, 504]);

export function authorityNetworkClient(
  authorityOrigin: string,
  fetchImpl: typeof fetch,
  options: AuthorityNetworkOptions = {},
): AuthorityNetworkClient {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const budgetMs = options.budgetMs ?? 60_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const telemetry = options.telemetry ?? noTelemetry;
  const allowed = new URL(authorityOrigin).origin;
  const fail = (code: string, message: string): never => {
    client.lastFailure = message;
    throw new AuthError(code, message);
  };

  async function send<T>(
    method: 'GET' | 'POST',
    url: string,
    options?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> {
    const target = new URL(url);
    if (target.origin !== allowed) {
      fail(
        'untrusted_host',
        `msal tried to reach ${target.origin}, which is not the configured authority host; the request was refused`,
      );
    }
    const attributes = {
      'http.request.method': method,
      'server.address': target.host,
      'url.path': target.pathname,
      'connector.system': 'Entra ID',
      correlationId: msalCorrelationId(target, options),
    };
    /** One request on the wire, in its own span. */
    const exchange = async (wait: number, span: SpanScope) => {
      try {
        const answer = await fetchImpl(url, {
          method,
          headers: options?.headers,
          body: method === 'POST' ? (options?.body ?? '') : undefined,
          signal: AbortSignal.timeout(wait),
        });
        const body = await answer.text();
        telemetry.connectorRequest({ system: 'Entra ID', status: answer.status });
        span.set({ 'http.response.status_code': answer.status });
        if (answer.status >= 400) span.fail(`HTTP ${answer.status}`);
        return { answer, body };
      } catch (error) {
        const failure =
          error instanceof Error && error.name === 'TimeoutError'
            ? `no answer within ${Math.round(wait / 100) / 10} s`
            : describeFetchFailure(error);
        telemetry.connectorRequest({ system: 'Entra ID', status: 'network-error' });
        span.fail(failure);
        return { failure };
      }
    };
    // A token request changes nothing on the server: a timeout, a network error or a 5xx is tried
    // again, a bounded number of times within the budget.
    const deadline = Date.now() + budgetMs;
    let response: Response | undefined;
    let text = '';
    for (let attempt = 1; ; attempt++) {
      const wait = Math.min(timeoutMs, Math.max(1, deadline - Date.now()));
      const spanAttributes = { ...attributes, 'http.request.resend_count': attempt - 1 };
      const outcome = await telemetry.inSpan(`${method} Entra ID`, 'client', spanAttributes, (span) =>
        exchange(wait, span),
      );
      const failure = 'failure' in outcome ? outcome.failure : undefined;
      response = 'answer' in outcome ? outcome.answer : undefined;
      text = 'body' in outcome ? (outcome.body ?? '') : '';
      if (response && !TRANSIENT.has(response.status)) break;
      const delay = 500 * 2 ** (attempt - 1);
      if (attempt >= TOKEN_ATTEMPTS || Date.now() + delay >= deadline) {
        if (failure !== undefined) return fail('network_error', `unreachable: ${failure}`);
        break;
      }
      telemetry.connectorRetry({
        system: 'Entra ID',
        reason: failure ? 'network-error' : String(response?.status),
      });
      await sleep(delay);
    }
    if (!response) return fail('network_error', 'unreachable');
    try {
      const headers: Record<string, string> = {};
      response.headers.forEach((value, key) => (headers[key] = value));
      return { status: response.status, headers, body: JSON.parse(text) as T };
    } catch {
      return fail('invalid_response', `answered ${response.status} with something that is not JSON`);
    }
  }

  const client: AuthorityNetworkClient = {
    lastFailure: undefined,
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
  return client;
}

/** msal's correlation id for this request (`client-request-id`, also in the authority's sign-in logs). */
function msalCorrelationId(target: URL, options?: NetworkRequestOptions): string | undefined {
  const name = 'client-request-id';
  return (
    options?.headers?.[name] ??
    target.searchParams.get(name) ??
    new URLSearchParams(options?.body ?? '').get(name) ??
    undefined
  );
}

/** undici hides the useful part (certificate problem, refused connection) in `cause`. */
export function describeFetchFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.message) return cause.code ? `${cause.message} (${cause.code})` : cause.message;
  return error instanceof Error ? error.message : String(error);
}

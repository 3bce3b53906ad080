import {
  AuthError,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';
import { noTelemetry, type Telemetry } from '../../core/ports/telemetry.js';

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

export function authorityNetworkClient(
  authorityOrigin: string,
  fetchImpl: typeof fetch,
  telemetry: Telemetry = noTelemetry,
): AuthorityNetworkClient {
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
    return telemetry.inSpan(`${method} Entra ID`, 'client', attributes, async (span) => {
      let response: Response;
      try {
        response = await fetchImpl(url, {
          method,
          headers: options?.headers,
          body: method === 'POST' ? (options?.body ?? '') : undefined,
          signal: AbortSignal.timeout(30_000),
        });
      } catch (error) {
        telemetry.connectorRequest({ system: 'Entra ID', status: 'network-error' });
        return fail('network_error', `unreachable: ${describeFetchFailure(error)}`);
      }
      telemetry.connectorRequest({ system: 'Entra ID', status: response.status });
      span.set({ 'http.response.status_code': response.status });
      if (response.status >= 400) span.fail(`HTTP ${response.status}`);
      const text = await response.text();
      try {
        const headers: Record<string, string> = {};
        response.headers.forEach((value, key) => (headers[key] = value));
        return { status: response.status, headers, body: JSON.parse(text) as T };
      } catch {
        return fail('invalid_response', `answered ${response.status} with something that is not JSON`);
      }
    });
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

import { ConfidentialClientApplication, LogLevel } from '@azure/msal-node';
import type { Logger } from 'pino';
import type { Telemetry } from '../../core/ports/telemetry.js';
import type { HttpConnectorSettings } from './http-settings.js';
import { authorityNetworkClient } from './msal-network.js';

/** Bearer tokens for the BC and Dataverse APIs (OAuth 2.0 client credentials). */
export interface TokenProvider {
  /**
   * A token for `scope` ("{resource}/.default"), cached until shortly before it expires. Pass the token
   * an API just refused with 401 as `rejected` to get a fresh one; concurrent callers share one request.
   */
  getToken(scope: string, rejected?: string): Promise<string>;
  /** Always asks the authority (check connection: proves the secret still works, not just the cache). */
  refreshToken(scope: string): Promise<string>;
}

/** A token could not be obtained; the message says why in the authority's own words. */
export class TokenError extends Error {
  override readonly name = 'TokenError';
}

export interface TokenProviderOptions {
  /** Defaults to global fetch, which trusts Node's CA store plus NODE_EXTRA_CA_CERTS. */
  fetch?: typeof fetch;
  logger?: Logger;
  /** Per request to the authority (default 30 s). */
  timeoutMs?: number;
  /** All attempts of one token request, retries included (default 60 s). */
  budgetMs?: number;
  /** A span per request to the authority. */
  telemetry?: Telemetry;
}

export function createTokenProvider(
  authority: HttpConnectorSettings['authority'],
  options: TokenProviderOptions = {},
): TokenProvider {
  const host = new URL(authority.host);
  const network = authorityNetworkClient(host.origin, options.fetch ?? globalThis.fetch, {
    timeoutMs: options.timeoutMs,
    budgetMs: options.budgetMs,
    telemetry: options.telemetry,
  });
  const app = new ConfidentialClientApplication({
    auth: {
      clientId: authority.clientId,
      clientSecret: authority.clientSecret,
      authority: `${host.origin}/${authority.tenantId}`,
      // A known authority is trusted as is: msal derives the cloud metadata from the host itself instead of
      // asking login.microsoftonline.com (instance discovery), and reads the OpenID metadata from this host
      // (or its built-in copy for the public clouds).
      knownAuthorities: [host.host],
    },
    system: {
      networkClient: network,
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Warning,
        loggerCallback: (_level, message) => options.logger?.warn({ msal: message }, 'msal warning'),
      },
    },
  });

  const latest = new Map<string, string>();
  const pending = new Map<string, Promise<string>>();

  async function acquire(scope: string, forceRefresh: boolean): Promise<string> {
    network.lastFailure = undefined;
    try {
      const result = await app.acquireTokenByClientCredential({ scopes: [scope], skipCache: forceRefresh });
      if (!result?.accessToken) throw new TokenError(`${host.origin} returned no access token for ${scope}`);
      latest.set(scope, result.accessToken);
      return result.accessToken;
    } catch (error) {
      if (error instanceof TokenError) throw error;
      const reason = network.lastFailure ?? describeAuthError(error);
      throw new TokenError(`Could not get a token from ${host.origin}: ${reason}`, { cause: error });
    }
  }

  function shared(scope: string, forceRefresh: boolean): Promise<string> {
    const inFlight = pending.get(scope);
    if (inFlight) return inFlight;
    const request = acquire(scope, forceRefresh).finally(() => pending.delete(scope));
    pending.set(scope, request);
    return request;
  }

  return {
    refreshToken: (scope) => shared(scope, true),
    async getToken(scope, rejected) {
      const known = latest.get(scope);
      // Someone already replaced the refused token: use theirs instead of asking again.
      if (rejected !== undefined && known !== undefined && known !== rejected) return known;
      return shared(scope, rejected !== undefined);
    },
  };
}

/** msal messages carry trace/correlation noise; keep the AADSTS sentence a person can act on. */
function describeAuthError(error: unknown): string {
  const e = error as { errorMessage?: string; message?: string; errorCode?: string };
  const text = (e.errorMessage || e.message || String(error)).split(/\r?\n| Trace ID:| Timestamp:/)[0] ?? '';
  const aadsts = /AADSTS\d+:[^\r\n]*?(?=\s+Trace ID:|$)/.exec(e.errorMessage ?? e.message ?? '');
  return (aadsts?.[0] ?? text).trim() || (e.errorCode ?? 'unknown error');
}

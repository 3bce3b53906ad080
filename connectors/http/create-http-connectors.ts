import type { Logger } from 'pino';
import type { Telemetry } from '../../core/ports/telemetry.js';
import { HttpBusinessCentral } from './business-central.js';
import { HttpDataverse, type HttpDataverseOptions } from './dataverse.js';
import { HttpClient } from './http-client.js';
import type { HttpConnectorSettings } from './http-settings.js';
import type { RetryPolicy } from './retry-policy.js';
import { createTokenProvider, type TokenProvider } from './token-provider.js';

/** BC allows 5 concurrent requests per user; Dataverse 52 (service protection limits). */
export const BC_MAX_CONCURRENCY = 5;
export const DATAVERSE_CONCURRENCY_CEILING = 52;

export interface HttpConnectorDeps {
  logger: Logger;
  /** Defaults to global fetch (system CA store + NODE_EXTRA_CA_CERTS); tests inject one trusting their CA. */
  fetch?: typeof fetch;
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  dataverse?: Pick<HttpDataverseOptions, 'select' | 'pageSize' | 'batchSize'>;
  bcPageSize?: number;
  /** Spans and metrics for every request (BC, Dataverse, Entra ID); off when absent. */
  telemetry?: Telemetry;
}

export interface HttpConnectors {
  businessCentral: HttpBusinessCentral;
  dataverse: HttpDataverse;
  tokens: TokenProvider;
  clients: { businessCentral: HttpClient; dataverse: HttpClient };
}

/** The composition root's one call when httpConnectorSettings(config) returned settings. */
export function createHttpConnectors(
  settings: HttpConnectorSettings,
  deps: HttpConnectorDeps,
): HttpConnectors {
  const { logger, fetch, retry, sleep, random, telemetry } = deps;
  const tokens = createTokenProvider(settings.authority, { fetch, logger, telemetry });
  const common = { tokens, logger, fetch, retry, sleep, random, telemetry };
  const bcClient = new HttpClient({
    ...common,
    system: 'Business Central',
    origin: settings.businessCentral.baseUrl,
    scope: settings.businessCentral.scope,
    maxConcurrency: BC_MAX_CONCURRENCY,
  });
  const dvClient = new HttpClient({
    ...common,
    system: 'Dataverse',
    origin: settings.dataverse.url,
    scope: settings.dataverse.scope,
    maxConcurrency: Math.min(settings.dataverse.maxConcurrency, DATAVERSE_CONCURRENCY_CEILING),
  });
  return {
    businessCentral: new HttpBusinessCentral({
      settings: settings.businessCentral,
      http: bcClient,
      pageSize: deps.bcPageSize,
    }),
    dataverse: new HttpDataverse({ settings: settings.dataverse, http: dvClient, ...deps.dataverse }),
    tokens,
    clients: { businessCentral: bcClient, dataverse: dvClient },
  };
}

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
  /** `maxTotalMs` is each operation's budget (HTTP_BUDGET_MS). */
  retry?: Partial<RetryPolicy>;
  /** Per attempt (HTTP_TIMEOUT_MS, default 30 s), token requests included. */
  timeoutMs?: number;
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
  /**
   * The same two connectors for background work (scheduled and whole-table runs, match runs): they share
   * each API's concurrency cap and 429 pause with the ones above but may hold only part of the cap, so
   * chat commands are never queued behind them.
   */
  background: { businessCentral: HttpBusinessCentral; dataverse: HttpDataverse };
  tokens: TokenProvider;
  clients: { businessCentral: HttpClient; dataverse: HttpClient };
}

/** The composition root's one call when httpConnectorSettings(config) returned settings. */
export function createHttpConnectors(
  settings: HttpConnectorSettings,
  deps: HttpConnectorDeps,
): HttpConnectors {
  const { logger, fetch, retry, sleep, random, timeoutMs, telemetry } = deps;
  const tokens = createTokenProvider(settings.authority, {
    fetch,
    logger,
    timeoutMs,
    budgetMs: retry?.maxTotalMs,
    telemetry,
  });
  const common = { tokens, logger, fetch, retry, sleep, random, timeoutMs, telemetry };
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
  const businessCentral = (http: HttpClient) =>
    new HttpBusinessCentral({ settings: settings.businessCentral, http, pageSize: deps.bcPageSize });
  const dataverse = (http: HttpClient) =>
    new HttpDataverse({ settings: settings.dataverse, http, ...deps.dataverse });
  return {
    businessCentral: businessCentral(bcClient),
    dataverse: dataverse(dvClient),
    background: {
      businessCentral: businessCentral(bcClient.inLane('background')),
      dataverse: dataverse(dvClient.inLane('background')),
    },
    tokens,
    clients: { businessCentral: bcClient, dataverse: dvClient },
  };
}

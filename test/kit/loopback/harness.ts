import { Writable } from 'node:stream';
import {
  createHttpConnectors,
  type HttpConnectorDeps,
  type HttpConnectors,
} from '../../../connectors/http/create-http-connectors.js';
import type { HttpConnectorSettings } from '../../../connectors/http/http-settings.js';
import { createLogger } from '../../../core/logger.js';
import { startFakeAuthority, type FakeAuthority } from './fake-authority.js';
import { startFakeBc, type FakeBc, type FakeBcOptions } from './fake-bc-server.js';
import {
  startFakeDataverse,
  type FakeDataverse,
  type FakeDataverseOptions,
} from './fake-dataverse-server.js';
import { trustingFetch } from '../tls.js';

/**
 * The three loopback servers (authority, BC, Dataverse) and connectors built exactly as the composition
 * root builds them, except for a fetch trusting the test CA and a log captured to memory.
 */
export const TENANT = '0f0e0d0c-0000-4000-8000-000000000001';
export const CLIENT = '1a2b3c4d-0000-4000-8000-000000000002';
export const SECRET = 'harness-client-secret-5Jq~x';

export interface Harness {
  authority: FakeAuthority;
  bc: FakeBc;
  dv: FakeDataverse;
  settings: HttpConnectorSettings;
  fetch: typeof fetch;
  /** Every log line written so far (JSON). */
  logs: string[];
  connect(deps?: Partial<HttpConnectorDeps>): HttpConnectors;
  close(): Promise<void>;
}

export interface HarnessOptions {
  bc?: Omit<FakeBcOptions, 'authority'>;
  dv?: Omit<FakeDataverseOptions, 'authority'>;
  dataverseConcurrency?: number;
}

/**
 * Both real services may cut any answer into pages of a size they choose; the fakes page every query
 * by 3 rows unless a test says otherwise, so every read is exercised across pages.
 */
export const TEST_SERVER_PAGE_SIZE = 3;

/** Fast retries for tests: the policy's shape, smaller numbers. */
export const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 50, maxTotalMs: 10_000 };

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const authority = await startFakeAuthority({ tenantId: TENANT, clients: { [CLIENT]: SECRET } });
  const [bc, dv, fetchImpl] = await Promise.all([
    startFakeBc({ authority, serverPageSize: TEST_SERVER_PAGE_SIZE, ...options.bc }),
    startFakeDataverse({ authority, serverPageSize: TEST_SERVER_PAGE_SIZE, ...options.dv }),
    trustingFetch(authority.tls.caPem),
  ]);
  const settings: HttpConnectorSettings = {
    authority: { host: authority.origin, tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET },
    businessCentral: {
      baseUrl: bc.origin,
      tenantId: bc.tenantId,
      environment: bc.environment,
      companyId: bc.companyId,
      serviceRoot: `${bc.origin}/v2.0/${bc.tenantId}/${bc.environment}/api/v2.0`,
      scope: `${bc.origin}/.default`,
    },
    dataverse: {
      url: dv.origin,
      serviceRoot: `${dv.origin}/api/data/v9.2`,
      scope: `${dv.origin}/.default`,
      maxConcurrency: options.dataverseConcurrency ?? 8,
    },
  };
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = createLogger('debug', sink);
  return {
    authority,
    bc,
    dv,
    settings,
    fetch: fetchImpl,
    logs,
    connect: (deps = {}) =>
      createHttpConnectors(settings, { logger, fetch: fetchImpl, retry: FAST_RETRY, ...deps }),
    close: async () => {
      await Promise.all([bc.close(), dv.close(), authority.close()]);
    },
  };
}

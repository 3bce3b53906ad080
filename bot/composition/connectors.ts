import type { Db } from 'mongodb';
import type { Config } from '../../core/config.js';
import { withApiFieldSupport } from '../../connectors/http/api-field-support.js';
import { createConnectionCheck, type ConnectionCheck } from '../../core/connection/connection-check.js';
import { checkConnection } from '../../connectors/http/check-connection.js';
import { createHttpConnectors } from '../../connectors/http/create-http-connectors.js';
import { selectFromMappings } from '../../connectors/http/dv-columns.js';
import { httpConnectorSettings } from './http-settings.js';
import type { RetryPolicy } from '../../connectors/http/retry-policy.js';
import type { Logger } from '../../core/logger.js';
import { createRecordLinks, NO_LINKS, type RecordLinks } from '../../core/links/record-links.js';
import { defaultMappings } from '../../core/mappings/defaults.js';
import type { MappingService } from '../../core/mappings/mapping-service.js';
import type { IntegrationTableMapping } from '../../core/model/mapping.js';
import type { DvTable } from '../../core/model/tables.js';
import type { BusinessCentralPort } from '../../core/ports/business-central.js';
import type { Clock } from '../../core/ports/clock.js';
import type { DataversePort } from '../../core/ports/dataverse.js';
import type { Telemetry } from '../../core/ports/telemetry.js';
import type { Roles } from '../../core/roles.js';
import { SandboxBusinessCentral } from '../../connectors/sandbox/sandbox-business-central.js';
import { SandboxDataverse } from '../../connectors/sandbox/sandbox-dataverse.js';
import { resetSandbox, SANDBOX_COMPANY_ID, seedSandbox } from '../../connectors/sandbox/seed.js';

/** Which systems the bot talks to: the sandbox tables, or real BC and Dataverse over HTTP (issue 6). */
export interface ComposedConnectors {
  kind: 'sandbox' | 'http';
  bc: BusinessCentralPort;
  dv: DataversePort;
  /**
   * The same systems for background work (scheduled and whole-table synchronization, match runs): over
   * HTTP they share each API's concurrency cap but hold only part of it, so chat commands are never
   * queued behind them. The sandbox has no cap: the same objects.
   */
  background: { bc: BusinessCentralPort; dv: DataversePort };
  /**
   * The company the default mappings' Integration Table Filters select (bcbi_companyid, domain.md §6):
   * the sandbox's demo company, or BC_COMPANY_ID — the Dataverse company row the integration uses must
   * carry that id, as BC's own integration keeps them equal.
   */
  companyId: string;
  /** Open in Business Central / Open in Dataverse: none over the sandbox (nowhere to open). */
  links: RecordLinks;
  /** The mapping service every other service sees (HTTP: fields API v2.0 lacks shown Disabled). */
  adaptMappings(service: MappingService): MappingService;
  connectionCheck(roles: Roles): ConnectionCheck;
  /** The sandbox's own company and reset, for `sandbox …` commands; absent with the real connectors. */
  sandbox?: { companyId: string; reset(): Promise<void> };
  /** After the default mappings are seeded: demo data (sandbox), or $select from the stored mappings. */
  afterMappingsSeeded(mappings: MappingService): Promise<{ sandboxSeeded: boolean }>;
}

export interface ConnectorOptions {
  config: Config;
  logger: Logger;
  db: Db;
  clock: Clock;
  /** Tests: a fetch trusting their certificate authority. Production uses global fetch (system store + NODE_EXTRA_CA_CERTS). */
  fetch?: typeof fetch;
  /** Tests and benchmarks: shorter retry delays. */
  httpRetry?: Partial<RetryPolicy>;
  /** Spans and metrics of the HTTP connectors' requests. */
  telemetry?: Telemetry;
}

export function composeConnectors(options: ConnectorOptions): ComposedConnectors {
  const { config, logger, db, clock } = options;
  // Throws a ConfigError naming what is missing when the set is half filled: start-up stops.
  const settings = httpConnectorSettings(config);
  if (!settings) {
    const bc = new SandboxBusinessCentral(db, { clock });
    const dv = new SandboxDataverse(db, { clock });
    return {
      kind: 'sandbox',
      bc,
      dv,
      background: { bc, dv },
      companyId: SANDBOX_COMPANY_ID,
      links: NO_LINKS,
      sandbox: { companyId: SANDBOX_COMPANY_ID, reset: () => resetSandbox(db, { clock }) },
      adaptMappings: (service) => service,
      connectionCheck: (roles) => createConnectionCheck({ roles, db }),
      afterMappingsSeeded: async () => ({ sandboxSeeded: (await seedSandbox(db, { clock })).seeded }),
    };
  }
  const companyId = settings.businessCentral.companyId.toLowerCase();
  // Read by the connector at every request: the defaults now, the stored mappings' columns once seeded.
  const select: Partial<Record<DvTable, string[]>> = selectFromMappings(defaultMappings(companyId));
  const http = createHttpConnectors(settings, {
    logger,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    retry: { maxTotalMs: config.HTTP_BUDGET_MS, ...options.httpRetry },
    timeoutMs: config.HTTP_TIMEOUT_MS,
    ...(options.telemetry ? { telemetry: options.telemetry } : {}),
    dataverse: { select },
  });
  logger.info(
    {
      businessCentral: new URL(settings.businessCentral.baseUrl).host,
      environment: settings.businessCentral.environment,
      companyId,
      dataverse: new URL(settings.dataverse.url).host,
      authority: new URL(settings.authority.host).host,
    },
    'using the real Business Central and Dataverse connectors',
  );
  return {
    kind: 'http',
    bc: http.businessCentral,
    dv: http.dataverse,
    background: { bc: http.background.businessCentral, dv: http.background.dataverse },
    companyId,
    links: createRecordLinks({
      businessCentral: {
        tenantId: settings.businessCentral.tenantId,
        environment: settings.businessCentral.environment,
        companyName: () => http.businessCentral.companyName(),
      },
      dataverse: { url: settings.dataverse.url },
    }),
    adaptMappings: withApiFieldSupport,
    connectionCheck: (roles) =>
      createConnectionCheck({
        roles,
        db,
        http: (probe) => checkConnection({ settings, connectors: http, ...probe }),
      }),
    async afterMappingsSeeded(mappings) {
      const stored = await mappings.list();
      const fromStored = selectFromMappings(stored);
      for (const [table, columns] of Object.entries(fromStored) as Array<[DvTable, string[]]>) {
        select[table] = [...new Set([...(select[table] ?? []), ...columns])];
      }
      warnOnOtherCompany(stored, companyId, logger);
      return { sandboxSeeded: false };
    },
  };
}

/** Mappings seeded by the sandbox (or another company) keep their filter: say how to fix it, loudly. */
function warnOnOtherCompany(
  stored: readonly IntegrationTableMapping[],
  companyId: string,
  logger: Logger,
): void {
  const others = stored.filter((m) =>
    m.integrationTableFilter.some(
      (c) =>
        c.field === 'bcbi_companyid' &&
        !c.not &&
        !c.anyOf.some((v) => typeof v === 'string' && v.toLowerCase() === companyId),
    ),
  );
  if (others.length === 0) return;
  logger.warn(
    { mappings: others.map((m) => m.name), companyId },
    `Table mappings ${others.map((m) => m.name).join(', ')} select Dataverse rows of another company than ` +
      'BC_COMPANY_ID (they were created for the sandbox or another company). A manager resets each with ' +
      '"mapping <name> reset" to select this company.',
  );
}

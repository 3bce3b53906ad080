import { hostname } from 'node:os';
import type { Middleware, TurnContext } from 'botbuilder';
import type { Db } from 'mongodb';
import type { Config } from '../core/config.js';
import { createAuditLog } from '../core/audit/audit-log.js';
import { createCardRefs } from '../core/conversations/card-refs.js';
import { createConversationReferences } from '../core/conversations/conversation-references.js';
import { CouplingRepository } from '../core/coupling/coupling-repository.js';
import { CouplingService } from '../core/coupling/coupling-service.js';
import { createJobRepository } from '../core/jobs/job-repository.js';
import type { Logger } from '../core/logger.js';
import { createMappingService } from '../core/mappings/mapping-service.js';
import { systemClock, type Clock } from '../core/ports/clock.js';
import { createRoles } from '../core/roles.js';
import { SandboxAdmin } from '../core/sandbox/sandbox-admin.js';
import type { SyncDeps } from '../core/sync/deps.js';
import { createErrorActions } from '../core/sync/error-actions.js';
import { SyncErrorRepository } from '../core/sync/sync-error-repository.js';
import { createSyncService } from '../core/sync/sync-service.js';
import { ACTIONS } from './actions/index.js';
import { createBot } from './bot.js';
import { createCardSeal } from './card-seal.js';
import { COMMANDS } from './commands/index.js';
import { composeConnectors, type ConnectorOptions } from './compose-connectors.js';
import { composeMatch } from './match/compose-match.js';
import { correlation } from './middleware/correlation.js';
import { saveConversationReference } from './middleware/conversation-reference.js';
import { rateLimit } from './middleware/rate-limit.js';
import { tenantAllowList } from './middleware/tenant-allow-list.js';
import { BackgroundWork } from './notifications/background.js';
import { CardDeliveries } from './notifications/deliveries.js';
import { createBackgroundJobs } from './notifications/job-cards.js';
import { createManagerAlerts, createUnavailableNotice } from './notifications/manager-alerts.js';
import type { Proactive } from './notifications/proactive.js';
import { createSyncRuntime, type SyncRuntime } from './notifications/sync-runtime.js';
import { createReplier } from './reply.js';
import type { BotServices } from './services.js';
import { syncResultCard } from './views/sync-result.js';

export interface ComposeOptions {
  config: Config;
  logger: Logger;
  /** The store's database; handed to core's factories, never used by bot code itself. */
  db: Db;
  clock?: Clock;
  /** Continues conversations outside a turn (main.ts builds it from the adapter); absent in some tests. */
  proactive?: Proactive;
  /** Tests only: the HTTP connectors' fetch (one trusting a test CA); production uses global fetch. */
  fetch?: ConnectorOptions['fetch'];
  /** Tests and benchmarks only: shorter HTTP retry delays. */
  httpRetry?: ConnectorOptions['httpRetry'];
  /** Key that signs card data; main.ts keeps one in the store so cards survive restarts. */
  cardSealSecret?: string;
}

export interface ComposedBot {
  services: BotServices;
  /** Adapter middleware, in order: correlation, tenant allow-list, rate limit, conversation reference. */
  middleware: Middleware[];
  /** The bot's turn logic, for adapter.process / TestAdapter. */
  logic: (context: TurnContext) => Promise<void>;
  /** Seeds the default mappings (and the sandbox's demo data) where missing; idempotent. */
  seed(): Promise<{ mappings: string[]; sandboxSeeded: boolean }>;
  /** Work that outlives its turn (background jobs); the server's drain waits for it. */
  background: BackgroundWork;
  /** Scheduled synchronization and the Interrupted-jobs sweep: main.ts starts and stops it. */
  runtime: SyncRuntime;
}

/** The composition root's wiring (style.md §6): config → core services → handlers → bot. */
export function composeBot(options: ComposeOptions): ComposedBot {
  const { config, logger, db } = options;
  const clock = options.clock ?? systemClock;
  // The sandbox, or real BC and Dataverse when BC_*/DATAVERSE_URL/AZURE_* are set (issue 6).
  const connectors = composeConnectors({ ...options, clock });
  const { bc, dv } = connectors;
  const roles = createRoles(config.MANAGER_AAD_OBJECT_IDS);
  const audit = createAuditLog({ db, clock });
  const jobs = createJobRepository({ db, clock });
  const mappings = connectors.adaptMappings(
    createMappingService({ db, roles, audit, clock, companyId: connectors.companyId }),
  );
  const couplings = new CouplingRepository(db);
  const coupling = new CouplingService({
    bc,
    dv,
    couplings,
    mappings,
    audit,
    jobs,
    roles,
    clock,
  });
  const conversations = createConversationReferences({ db, clock });
  const cardRefs = createCardRefs({ db, clock });
  const errors = new SyncErrorRepository(db, clock.now);
  const syncDeps: SyncDeps = { bc, dv, mappings, couplings, jobs, errors, audit, roles, clock, logger };
  const sync = createSyncService(syncDeps);
  const seal = createCardSeal(options.cardSealSecret ?? config.MicrosoftAppPassword);
  const deliveries = new CardDeliveries();
  const replier = createReplier({
    seal,
    onCardSent: async (ref) => {
      try {
        await cardRefs.remember(ref);
      } finally {
        deliveries.delivered(ref.key);
      }
    },
  });
  const background = new BackgroundWork(logger);
  const proactive = options.proactive ? { proactive: options.proactive } : {};
  const backgroundJobs = createBackgroundJobs({
    work: background,
    deliveries,
    cardRefs,
    conversations,
    replier,
    resultCard: (result, label) => syncResultCard(result, { bc, mappings }, { direction: label }),
    logger,
    ...proactive,
  });
  const services: BotServices = {
    connectorsKind: connectors.kind,
    clock,
    roles,
    mappings,
    serving: { bc, dv },
    coupling,
    countCouplings: (mapping) => couplings.count(mapping),
    bc,
    ...(connectors.kind === 'sandbox'
      ? { sandbox: new SandboxAdmin({ db, bc, dv, couplings, audit, roles, clock }) }
      : {}),
    connection: connectors.connectionCheck(roles),
    conversations,
    cardRefs,
    sync,
    syncErrors: Object.assign(createErrorActions(syncDeps), {
      get: (id: string) => errors.get(id),
      countOpen: (mapping?: string) => errors.countOpen(mapping),
    }),
    jobs,
    backgroundJobs,
    match: composeMatch({
      config,
      db,
      clock,
      bc,
      dv,
      couplings,
      jobs,
      mappings,
      roles,
      audit,
      conversations,
      replier,
      background,
      sync,
      ...proactive,
    }),
  };
  const alertDeps = {
    managerIds: config.MANAGER_AAD_OBJECT_IDS,
    conversations,
    replier,
    errors,
    services: { bc, mappings },
    logger,
    ...proactive,
  };
  const runtime = createSyncRuntime({
    db,
    clock,
    intervalMinutes: config.SYNC_INTERVAL_MINUTES,
    instanceId: `${hostname()}:${process.pid}`,
    sync,
    mappings,
    serving: { bc, dv },
    onUnavailable: createUnavailableNotice(alertDeps),
    onRunFinished: createManagerAlerts(alertDeps),
    logger,
  });

  const logic = createBot({ commands: COMMANDS, actions: ACTIONS, services, replier, seal, logger });
  const middleware = [
    correlation(logger),
    tenantAllowList(config.ALLOWED_TENANT_IDS, logger),
    rateLimit(config.RATE_LIMIT_PER_MINUTE, clock),
    saveConversationReference((input) => conversations.upsert(input), logger),
  ];

  return {
    services,
    middleware,
    logic,
    background,
    runtime,
    async seed() {
      const inserted = await mappings.seedDefaults();
      const { sandboxSeeded } = await connectors.afterMappingsSeeded(mappings);
      return { mappings: inserted, sandboxSeeded };
    },
  };
}

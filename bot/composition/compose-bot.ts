import { hostname } from 'node:os';
import type { Middleware, TurnContext } from 'botbuilder';
import type { Db } from 'mongodb';
import { allowedTenantIds, type Config } from '../../core/config.js';
import { createAuditLog } from '../../core/audit/audit-log.js';
import { createCardRefs } from '../../core/conversations/card-refs.js';
import { createConversationReferences } from '../../core/conversations/conversation-references.js';
import { CouplingRepository } from '../../core/coupling/coupling-repository.js';
import { CouplingService } from '../../core/coupling/coupling-service.js';
import { createJobControl } from '../../core/jobs/job-control.js';
import { createJobRepository } from '../../core/jobs/job-repository.js';
import { withJobTelemetry } from '../../core/jobs/job-telemetry.js';
import { createRunLocks } from '../../core/jobs/run-lock.js';
import type { Logger } from '../../core/logger.js';
import { createMappingService } from '../../core/mappings/mapping-service.js';
import { systemClock, type Clock } from '../../core/ports/clock.js';
import { noTelemetry, type Telemetry } from '../../core/ports/telemetry.js';
import { createRoles } from '../../core/roles.js';
import { SandboxAdmin } from '../../core/sandbox-admin/sandbox-admin.js';
import type { SyncDeps } from '../../core/sync/deps.js';
import { createErrorActions } from '../../core/sync/error-actions.js';
import { SyncErrorRepository } from '../../core/sync/sync-error-repository.js';
import { createSyncService, type SyncService } from '../../core/sync/sync-service.js';
import { createUndoJournal } from '../../core/undo/journal-repository.js';
import { createUndoService } from '../../core/undo/undo-service.js';
import { createPreviewService } from '../../core/sync/preview/preview-service.js';
import { PreviewRepository } from '../../core/sync/preview/preview-repository.js';
import { ACTIONS } from '../actions/index.js';
import { createBot } from '../bot.js';
import { createCardSeal } from '../card-seal.js';
import { COMMANDS } from '../commands/index.js';
import { composeConnectors, type ComposedConnectors, type ConnectorOptions } from './connectors.js';
import { composeMatch } from './match.js';
import { teamsRoster, type Roster } from '../identity/roster.js';
import { correlation } from '../middleware/correlation.js';
import { identity } from '../middleware/identity.js';
import { teamsOnly } from '../middleware/teams-only.js';
import { saveConversationReference } from '../middleware/conversation-reference.js';
import { rateLimit } from '../middleware/rate-limit.js';
import { tenantAllowList } from '../middleware/tenant-allow-list.js';
import { BackgroundWork } from '../notifications/background.js';
import { CardDeliveries } from '../notifications/deliveries.js';
import { createBackgroundJobs } from '../notifications/job-cards.js';
import {
  createManagerAlerts,
  createStallAlerts,
  createUnavailableNotice,
} from '../notifications/manager-alerts.js';
import { noteInterrupted } from '../../core/alerts/alert-watch.js';
import { createScheduleHealth } from '../../core/alerts/schedule-health.js';
import { composeAlertWatch } from './alerts.js';
import { createCardMessenger } from '../notifications/messenger.js';
import {
  createProgressTicker,
  type ProgressTicker,
  type ProgressTickerDeps,
} from '../notifications/progress-ticker.js';
import type { Proactive } from '../notifications/proactive.js';
import { createSyncRuntime, type SyncRuntime } from '../../core/scheduler/sync-runtime.js';
import { createReplier } from '../reply.js';
import type { BotServices } from '../services.js';
import { syncResultCard } from '../views/sync-result.js';

export interface ComposeOptions {
  config: Config;
  logger: Logger;
  /** The store's database; handed to core's factories, never used by bot code itself. */
  db: Db;
  clock?: Clock;
  /** Continues conversations outside a turn (run.ts builds it from the adapter); absent in some tests. */
  proactive?: Proactive;
  /** Tests only: the HTTP connectors' fetch (one trusting a test CA); production uses global fetch. */
  fetch?: ConnectorOptions['fetch'];
  /** Tests and benchmarks only: shorter HTTP retry delays. */
  httpRetry?: ConnectorOptions['httpRetry'];
  /** Key that signs card data; run.ts keeps one in the store so cards survive restarts. */
  cardSealSecret?: string;
  /** Spans and metrics (turns, outbound calls, jobs); off when absent. */
  telemetry?: Telemetry;
  /** Display names of users (the Teams roster unless a test brings its own: TestAdapter has no connector). */
  roster?: Roster;
  /** Tests only: when and how often a running job's card shows its counters (2 s, then every 4 s). */
  progress?: Pick<ProgressTickerDeps, 'afterMs' | 'everyMs' | 'timers'>;
  /**
   * Tests only: records per synchronization batch (1000) and couplings per Delete Couplings chunk (500),
   * so a few hundred records make a job of many batches.
   */
  syncBatchSize?: number;
  /** Tests only: rows per stored page of a match run (500), so an approval applies in many pages. */
  matchStoredPageSize?: number;
}

export interface ComposedBot {
  services: BotServices;
  /**
   * Adapter middleware, in order: correlation, Teams only, tenant allow-list, identity (Entra object id,
   * roster name), rate limit, conversation reference.
   */
  middleware: Middleware[];
  /** The bot's turn logic, for adapter.process / TestAdapter. */
  logic: (context: TurnContext) => Promise<void>;
  /** Seeds the default mappings (and the sandbox's demo data) where missing; idempotent. */
  seed(): Promise<{ mappings: string[]; sandboxSeeded: boolean }>;
  /** Work that outlives its turn (background jobs); the server's drain waits for it. */
  background: BackgroundWork;
  /** Scheduled synchronization and the Interrupted-jobs sweep: run.ts starts and stops it. */
  runtime: SyncRuntime;
}

/** The composition root's wiring (style.md §6): config → connectors → core services → handlers → bot. */
export function composeBot(options: ComposeOptions): ComposedBot {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const telemetry = options.telemetry ?? noTelemetry;
  // The sandbox, or real BC and Dataverse when BC_*/DATAVERSE_URL/AZURE_* are set (issue 6).
  const connectors = composeConnectors({ ...options, clock, telemetry });
  const core = composeCore(options, connectors, clock);
  const edge = composeCardDelivery(options, core);
  const services = composeServices(options, connectors, core, edge);
  const runtime = stoppingProgress(composeRuntime(options, core, edge), edge.progress);
  const logic = createBot({
    commands: COMMANDS,
    actions: ACTIONS,
    services,
    replier: edge.replier,
    seal: edge.seal,
    logger,
  });
  const middleware = [
    correlation(logger, telemetry),
    teamsOnly(logger),
    tenantAllowList(allowedTenantIds(config), logger),
    identity(options.roster ?? teamsRoster, logger),
    rateLimit(config.RATE_LIMIT_PER_MINUTE, clock),
    saveConversationReference((input) => core.conversations.upsert(input), logger),
  ];
  return {
    services,
    middleware,
    logic,
    background: edge.background,
    runtime,
    async seed() {
      const inserted = await core.mappings.seedDefaults();
      const { sandboxSeeded } = await connectors.afterMappingsSeeded(core.mappings);
      return { mappings: inserted, sandboxSeeded };
    },
  };
}

/** Stopping the runtime (shutdown) also stops the running cards' progress updates. */
function stoppingProgress(runtime: SyncRuntime, progress: ProgressTicker | undefined): SyncRuntime {
  return {
    ...runtime,
    async stop(timeoutMs) {
      await progress?.stopAll();
      await runtime.stop(timeoutMs);
    },
  };
}

/** Core's repositories and services over the chosen connectors; nothing here knows Teams. */
function composeCore(options: ComposeOptions, connectors: ComposedConnectors, clock: Clock) {
  const { config, logger, db } = options;
  const { bc, dv } = connectors;
  const roles = createRoles(config.MANAGER_AAD_OBJECT_IDS);
  const audit = createAuditLog({ db, clock });
  const jobs = withJobTelemetry(createJobRepository({ db, clock }), options.telemetry ?? noTelemetry);
  const mappings = connectors.adaptMappings(
    createMappingService({ db, roles, audit, clock, companyId: connectors.companyId }),
  );
  const couplings = new CouplingRepository(db);
  // Every change a job makes is journalled before it is written, for 7 days: what Undo reverses.
  const journal = createUndoJournal({ db, clock });
  const batch = options.syncBatchSize ? { batchSize: options.syncBatchSize } : {};
  const instanceId = `${hostname()}:${process.pid}`;
  const leaseMs = config.LEASE_SECONDS * 1000;
  // One whole-mapping run per mapping across instances (Synchronize Modified Records, full
  // synchronization, Delete Couplings).
  const runLocks = createRunLocks({ db, clock, owner: instanceId, leaseMs, jobs });
  const coupling = new CouplingService({
    ...{ bc, dv, couplings, mappings, audit, jobs, roles, clock, journal, runLocks },
    ...batch,
  });
  const errors = new SyncErrorRepository(db, clock.now);
  const syncDeps: SyncDeps = {
    bc,
    dv,
    mappings,
    couplings,
    jobs,
    runLocks,
    errors,
    audit,
    roles,
    clock,
    logger,
    journal,
    ...batch,
  };
  return {
    bc,
    dv,
    clock,
    instanceId,
    leaseMs,
    roles,
    audit,
    jobs,
    journal,
    runLocks,
    mappings,
    couplings,
    coupling,
    errors,
    syncDeps,
    // Whole-table runs (chat-started or scheduled) go through the background lane of each connector.
    sync: inBackground(
      createSyncService(syncDeps),
      createSyncService({ ...syncDeps, ...connectors.background }),
    ),
    // Previews read whole tables like the runs they preview: background lane too.
    preview: createPreviewService({
      ...syncDeps,
      ...connectors.background,
      previews: new PreviewRepository(db),
    }),
    conversations: createConversationReferences({ db, clock }),
    cardRefs: createCardRefs({ db, clock }),
  };
}
type Core = ReturnType<typeof composeCore>;

/** How cards leave the bot: sealed, remembered once delivered, and updated when background work ends. */
function composeCardDelivery(options: ComposeOptions, core: Core) {
  const { config, logger } = options;
  const { bc, mappings, cardRefs } = core;
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
  // Out of turn, every card goes through the one messenger (none without an adapter: some tests).
  const messenger = options.proactive
    ? {
        messenger: createCardMessenger({
          proactive: options.proactive,
          conversations: core.conversations,
          replier,
        }),
      }
    : {};
  const progress = messenger.messenger
    ? createProgressTicker({
        jobs: core.jobs,
        cardRefs,
        messenger: messenger.messenger,
        logger,
        ...options.progress,
      })
    : undefined;
  const backgroundJobs = createBackgroundJobs({
    work: background,
    deliveries,
    cardRefs,
    resultCard: (result, label) => syncResultCard(result, { bc, mappings }, { direction: label }),
    logger,
    ...messenger,
    ...(progress ? { progress } : {}),
  });
  return { seal, replier, background, backgroundJobs, messenger, progress };
}
type CardDelivery = ReturnType<typeof composeCardDelivery>;

/** Everything a handler may call (BotServices). */
function composeServices(
  options: ComposeOptions,
  connectors: ComposedConnectors,
  core: Core,
  edge: CardDelivery,
): BotServices {
  const { bc, dv, couplings, audit, roles, errors } = core;
  return {
    connectorsKind: connectors.kind,
    links: connectors.links,
    clock: core.clock,
    roles,
    mappings: core.mappings,
    serving: { bc, dv },
    coupling: core.coupling,
    countCouplings: (mapping) => couplings.count(mapping),
    bc,
    ...(connectors.sandbox
      ? { sandbox: new SandboxAdmin({ ...connectors.sandbox, bc, dv, couplings, audit, roles }) }
      : {}),
    connection: connectors.connectionCheck(roles),
    conversations: core.conversations,
    cardRefs: core.cardRefs,
    sync: core.sync,
    preview: core.preview,
    syncErrors: Object.assign(createErrorActions(core.syncDeps), {
      get: (id: string) => errors.get(id),
      countOpen: (...args: Parameters<typeof errors.countOpen>) => errors.countOpen(...args),
    }),
    jobs: core.jobs,
    jobControl: createJobControl({ jobs: core.jobs, roles }),
    undo: createUndoService({ ...core, bc, dv }),
    backgroundJobs: edge.backgroundJobs,
    match: composeMatch({
      ...core,
      // Match runs read whole tables: background lane.
      ...connectors.background,
      config: options.config,
      db: options.db,
      background: edge.background,
      ...edge.messenger,
      ...(edge.progress ? { progress: edge.progress } : {}),
      ...(options.matchStoredPageSize ? { storedPageSize: options.matchStoredPageSize } : {}),
    }),
  };
}

/**
 * Scheduled synchronization, with the managers' alert when a run ends in new errors, their one notice
 * per start about a mapping the connection cannot serve (skipped every interval), the stalled-schedule
 * alert and its recovery, and the daily digest of records that loop.
 */
function composeRuntime(options: ComposeOptions, core: Core, edge: CardDelivery): SyncRuntime {
  const { config, logger, db } = options;
  const intervalMinutes = config.SYNC_INTERVAL_MINUTES;
  const health = createScheduleHealth({ db, clock: core.clock, intervalMinutes });
  const alerts = {
    managerIds: config.MANAGER_AAD_OBJECT_IDS,
    conversations: core.conversations,
    errors: core.errors,
    services: { bc: core.bc, mappings: core.mappings },
    logger,
    health,
    ...edge.messenger,
  };
  const tellStall = createStallAlerts({ ...alerts, stallMinutes: config.JOB_STALL_MINUTES });
  const serving = { bc: core.bc, dv: core.dv };
  return createSyncRuntime({
    db,
    clock: core.clock,
    intervalMinutes,
    instanceId: core.instanceId,
    sync: core.sync,
    mappings: core.mappings,
    leaseMs: core.leaseMs,
    stallMs: config.JOB_STALL_MINUTES * 60_000,
    stallAlerts: {
      claim: () => core.jobs.claimStallAlerts(),
      async tell(job) {
        await tellStall(job);
        await noteInterrupted(health, job);
      },
    },
    watch: composeAlertWatch({
      db,
      clock: core.clock,
      config,
      logger,
      health,
      errors: core.errors,
      mappings: core.mappings,
      serving,
      alerts,
    }),
    serving,
    onUnavailable: createUnavailableNotice(alerts),
    onRunFinished: createManagerAlerts(alerts),
    logger,
  });
}

/** Record-level synchronization answers a person now; whole-mapping runs are background work. */
function inBackground(interactive: SyncService, background: SyncService): SyncService {
  return {
    ...interactive,
    synchronizeAll: (...args) => background.synchronizeAll(...args),
    synchronizeModified: (...args) => background.synchronizeModified(...args),
  };
}

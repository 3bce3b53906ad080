import type { Middleware, TurnContext } from 'botbuilder';
import type { Db } from 'mongodb';
import { ConfigError, type Config } from '../core/config.js';
import { createAuditLog } from '../core/audit/audit-log.js';
import { httpConnectorSettings } from '../core/connectors/http/http-config.js';
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
import { SandboxBusinessCentral } from '../core/sandbox/sandbox-business-central.js';
import { SandboxDataverse } from '../core/sandbox/sandbox-dataverse.js';
import { SANDBOX_COMPANY_ID, seedSandbox } from '../core/sandbox/seed.js';
import { ACTIONS } from './actions/index.js';
import { createBot } from './bot.js';
import { createCardSeal } from './card-seal.js';
import { COMMANDS } from './commands/index.js';
import { correlation } from './middleware/correlation.js';
import { saveConversationReference } from './middleware/conversation-reference.js';
import { rateLimit } from './middleware/rate-limit.js';
import { tenantAllowList } from './middleware/tenant-allow-list.js';
import { createReplier } from './reply.js';
import type { BotServices } from './services.js';

export interface ComposeOptions {
  config: Config;
  logger: Logger;
  /** The store's database; handed to core's factories, never used by bot code itself. */
  db: Db;
  clock?: Clock;
}

export interface ComposedBot {
  services: BotServices;
  /** Adapter middleware, in order: correlation, tenant allow-list, rate limit, conversation reference. */
  middleware: Middleware[];
  /** The bot's turn logic, for adapter.process / TestAdapter. */
  logic: (context: TurnContext) => Promise<void>;
  /** Seeds the default mappings (and the sandbox's demo data) where missing; idempotent. */
  seed(): Promise<{ mappings: string[]; sandboxSeeded: boolean }>;
}

/** The composition root's wiring (style.md §6): config → core services → handlers → bot. */
export function composeBot(options: ComposeOptions): ComposedBot {
  const { config, logger, db } = options;
  const clock = options.clock ?? systemClock;
  if (httpConnectorSettings(config)) {
    // Issue 6 wires the HTTP connectors here; until then, refuse rather than run on demo data.
    throw new ConfigError(
      'Invalid configuration: BC_*/DATAVERSE_*/AZURE_* are set, but this build only has the sandbox ' +
        'connectors. Unset them to use the sandbox.',
    );
  }
  const bc = new SandboxBusinessCentral(db, { clock });
  const dv = new SandboxDataverse(db, { clock });
  const roles = createRoles(config.MANAGER_AAD_OBJECT_IDS);
  const audit = createAuditLog({ db, clock });
  const jobs = createJobRepository({ db, clock });
  const mappings = createMappingService({ db, roles, audit, clock, companyId: SANDBOX_COMPANY_ID });
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
  const services: BotServices = {
    connectorsKind: 'sandbox',
    clock,
    roles,
    mappings,
    coupling,
    countCouplings: (mapping) => couplings.count(mapping),
    bc,
    sandbox: new SandboxAdmin({ db, bc, dv, couplings, audit, clock }),
    conversations,
    cardRefs,
  };

  const seal = createCardSeal(config.MicrosoftAppPassword);
  const replier = createReplier({ seal, onCardSent: (ref) => cardRefs.remember(ref) });
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
    async seed() {
      const inserted = await mappings.seedDefaults();
      const { seeded } = await seedSandbox(db, { clock });
      return { mappings: inserted, sandboxSeeded: seeded };
    },
  };
}

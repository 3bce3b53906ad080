import type { CardRefs } from '../core/conversations/card-refs.js';
import type { ConversationReferences } from '../core/conversations/conversation-references.js';
import type { CouplingService } from '../core/coupling/coupling-service.js';
import type { MappingService } from '../core/mappings/mapping-service.js';
import type { BusinessCentralPort } from '../core/ports/business-central.js';
import type { Clock } from '../core/ports/clock.js';
import type { Roles } from '../core/roles.js';
import type { SandboxAdmin } from '../core/sandbox/sandbox-admin.js';

/**
 * Everything a handler may call, built once in the composition root (bot/compose.ts). Handlers reach
 * core only through these services — never MongoDB, never process.env.
 */
export interface BotServices {
  /** 'sandbox' when both systems are the demo tables in MongoDB; sandbox commands are refused otherwise. */
  connectorsKind: 'sandbox' | 'http';
  clock: Clock;
  roles: Roles;
  mappings: MappingService;
  coupling: CouplingService;
  /** How many couplings a mapping has (for the Delete Couplings confirmation). */
  countCouplings(mapping: string): Promise<number>;
  /** Read access to BC, to expand number ranges (`10000..30000`) into the records that exist. */
  bc: Pick<BusinessCentralPort, 'list'>;
  /** `sandbox …` commands; absent when real connectors are configured. */
  sandbox?: SandboxAdmin;
  conversations: ConversationReferences;
  cardRefs: CardRefs;
}

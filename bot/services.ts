import type { CardRefs } from '../core/conversations/card-refs.js';
import type { ConversationReferences } from '../core/conversations/conversation-references.js';
import type { MappingService } from '../core/mappings/mapping-service.js';
import type { Clock } from '../core/ports/clock.js';
import type { Roles } from '../core/roles.js';

/**
 * Everything a handler may call, built once in the composition root (bot/main.ts). Handlers reach
 * core only through these services — never MongoDB, never process.env.
 */
export interface BotServices {
  /** 'sandbox' when both systems are the demo tables in MongoDB; sandbox commands are refused otherwise. */
  connectorsKind: 'sandbox' | 'http';
  clock: Clock;
  roles: Roles;
  mappings: MappingService;
  conversations: ConversationReferences;
  cardRefs: CardRefs;
}

import { DomainError, ErrorCode } from './errors.js';
import type { Actor } from './model/actor.js';

export interface Roles {
  isManager(actor: Actor): boolean;
  /** Throws Forbidden when the actor is not a manager; `what` completes "Only managers can …". */
  requireManager(actor: Actor, what: string): void;
}

/** Entra object ids are GUIDs; Teams and admins do not always agree on their case. */
const normalize = (id: string): string => id.trim().toLowerCase();

/**
 * Who is a manager is decided here, from MANAGER_AAD_OBJECT_IDS, and never by the caller
 * (issue 3: manager-only rules are enforced in core, not in the bot).
 */
export function createRoles(managerIds: readonly string[]): Roles {
  const managers = new Set(managerIds.map(normalize).filter((id) => id.length > 0));

  const isManager = (actor: Actor): boolean => managers.has(normalize(actor.id));

  return {
    isManager,
    requireManager(actor, what) {
      if (isManager(actor)) return;
      const hint =
        managers.size === 0
          ? 'Nobody is a manager yet: an admin adds managers’ Entra object ids to MANAGER_AAD_OBJECT_IDS.'
          : 'Ask one of your Coupling Assistant managers to do it, or an admin to add you to MANAGER_AAD_OBJECT_IDS.';
      throw new DomainError(ErrorCode.Forbidden, `Only managers can ${what}. ${hint}`);
    },
  };
}

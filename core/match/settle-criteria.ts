import type { MappingService } from '../mappings/mapping-service.js';
import type { Actor } from '../model/actor.js';
import type { IntegrationTableMapping } from '../model/mapping.js';
import type { Roles } from '../roles.js';
import { criteriaOf, validateCriteria } from './criteria.js';

/**
 * What became of criteria submitted with a run: none or the mapping's own (`unchanged`), saved on the
 * mapping (`saved`), or used for this run only because only managers change a mapping (`runOnly`).
 */
export type CriteriaSettlement = 'unchanged' | 'saved' | 'runOnly';

export interface SettleCriteriaDeps {
  mappings: Pick<MappingService, 'saveMatchCriteria'>;
  roles: Pick<Roles, 'isManager'>;
}

/**
 * Checks submitted criteria with the mapping's rules before anything runs (a bad criterion throws
 * InvalidInput and nothing changes). Saving them changes the mapping, which only managers may do;
 * anyone may propose a run, so a non-manager's criteria are used for that run only.
 */
export async function settleCriteria(
  deps: SettleCriteriaDeps,
  actor: Actor,
  mapping: IntegrationTableMapping,
  submitted: unknown,
): Promise<CriteriaSettlement> {
  const criteria = validateCriteria(mapping, submitted ?? {});
  if (submitted === null || submitted === undefined) return 'unchanged';
  if (JSON.stringify(criteria) === JSON.stringify(criteriaOf(mapping))) return 'unchanged';
  if (!deps.roles.isManager(actor)) return 'runOnly';
  await deps.mappings.saveMatchCriteria(actor, mapping.name, submitted, mapping.version);
  return 'saved';
}

import { UPDATE_CONFLICT_WORDS, updateConflictsCommand } from '../mappings/setting-commands.js';
import type { MappingService } from '../mappings/mapping-service.js';
import type { Actor } from '../model/actor.js';
import { UpdateConflictResolution, type IntegrationTableMapping } from '../model/mapping.js';
import type { Roles } from '../roles.js';
import { criteriaOf, validateCriteria } from './criteria.js';

/**
 * What became of criteria submitted with a run: none or the mapping's own (`unchanged`), saved on the
 * mapping (`saved`), or used for this run only because only managers change a mapping (`runOnly`).
 * Resolve Update Conflicts is never saved: when the run's choice differs from the mapping's,
 * `conflictsNote` says it applies to this run only and names the command that changes the mapping.
 */
export type CriteriaSettlement = 'unchanged' | 'saved' | 'runOnly';

export interface SettledCriteria {
  outcome: CriteriaSettlement;
  conflictsNote: string | null;
}

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
): Promise<SettledCriteria> {
  const { resolveUpdateConflicts: chosen, ...criteria } = validateCriteria(mapping, submitted ?? {});
  const { resolveUpdateConflicts: saved, ...current } = criteriaOf(mapping);
  const conflictsNote = chosen === saved ? null : runOnlyConflicts(mapping, chosen);
  const settled = (outcome: CriteriaSettlement): SettledCriteria => ({ outcome, conflictsNote });
  if (submitted === null || submitted === undefined) return settled('unchanged');
  if (JSON.stringify(criteria) === JSON.stringify(current)) return settled('unchanged');
  if (!deps.roles.isManager(actor)) return settled('runOnly');
  await deps.mappings.saveMatchCriteria(actor, mapping.name, submitted, mapping.version);
  return settled('saved');
}

/** The card's Resolve Update Conflicts is this run's: the mapping keeps its own, changed only by command. */
function runOnlyConflicts(mapping: IntegrationTableMapping, chosen: UpdateConflictResolution): string {
  const word = UPDATE_CONFLICT_WORDS[UpdateConflictResolution.options.indexOf(chosen)] ?? 'none';
  return (
    `Resolve Update Conflicts "${chosen}" applies to this run only; table mapping ${mapping.name} keeps ` +
    `"${mapping.updateConflictResolution}". To change the mapping's setting: ${updateConflictsCommand(mapping, word)}.`
  );
}

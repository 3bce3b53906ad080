import type { SubmittedCriteria } from '../../cards/index.js';
import { isDomainError } from '../../core/errors.js';
import { criteriaOf, validateCriteria } from '../../core/match/criteria.js';
import { UPDATE_CONFLICT_WORDS, updateConflictsCommand } from '../../core/mappings/setting-commands.js';
import { UpdateConflictResolution, type IntegrationTableMapping } from '../../core/model/mapping.js';
import { textReply, type Replies, type Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnRequest } from '../turn.js';
import { answerInTime } from './answer-in-time.js';
import { awaitsApproval, notifyManagers, rememberCopy, runCardKey } from './card-copies.js';
import { criteriaCard, progressCard, resultsCard } from './match-cards.js';

export const RUN_ONLY_NOTE =
  'These criteria were used for this run only: only managers can save match criteria on a table mapping.';

/**
 * Checks the submitted criteria with core's rules before anything runs. Saving them changes the
 * mapping, which core allows managers only; anyone may propose a run, so a non-manager's criteria are
 * used for this run only. Returns the notes to show with the results.
 */
async function settleCriteria(
  turn: TurnRequest,
  services: BotServices,
  mapping: IntegrationTableMapping,
  submitted: SubmittedCriteria | null,
): Promise<Reply[]> {
  const { resolveUpdateConflicts: chosen, ...criteria } = validateCriteria(mapping, submitted ?? {});
  const { resolveUpdateConflicts: saved, ...current } = criteriaOf(mapping);
  const notes = chosen === saved ? [] : [textReply(conflictsNote(mapping, chosen))];
  if (!submitted || JSON.stringify(criteria) === JSON.stringify(current)) return notes;
  if (!services.roles.isManager(turn.actor)) return [textReply(RUN_ONLY_NOTE), ...notes];
  await services.mappings.saveMatchCriteria(turn.actor, mapping.name, submitted, mapping.version);
  return notes;
}

/** The card's Resolve Update Conflicts is this run's: the mapping keeps its own, changed only by command. */
function conflictsNote(mapping: IntegrationTableMapping, chosen: UpdateConflictResolution): string {
  const word = UPDATE_CONFLICT_WORDS[UpdateConflictResolution.options.indexOf(chosen)] ?? 'none';
  return (
    `Resolve Update Conflicts "${chosen}" applies to this run only; table mapping ${mapping.name} keeps ` +
    `"${mapping.updateConflictResolution}". To change the mapping's setting: ${updateConflictsCommand(mapping, word)}.`
  );
}

/**
 * Run on the criteria card (or on an import report): saves the criteria where allowed, proposes the run,
 * and answers with the results card — after a progress card when matching takes a while. The results
 * card is remembered as a copy of the run, and every manager gets one when there is something to approve.
 * Bad criteria leave everything as it was: the criteria card comes back with the reason.
 */
export async function proposeFromCard(
  turn: TurnRequest,
  services: BotServices,
  mappingName: string,
  submitted: SubmittedCriteria | null,
): Promise<Replies> {
  const mapping = await services.mappings.get(mappingName);
  let notes: Reply[];
  try {
    notes = await settleCriteria(turn, services, mapping, submitted);
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return [criteriaCard(mapping), textReply(e.message)];
  }
  const canDecide = services.roles.isManager(turn.actor);
  return answerInTime(turn, services, {
    work: services.match.service.proposeRun(turn.actor, mapping.name, submitted ?? undefined),
    progress: () =>
      progressCard(services, turn.actor.name, `Match-Based Coupling: ${mapping.name}`, 'Matching records…'),
    done: async (run) => [await resultsCard(services, run.id, { canDecide }, runCardKey(run.id)), ...notes],
    async after(run, shownAs) {
      const conversationId = turn.actor.conversationId;
      await rememberCopy(services, run.id, conversationId, shownAs);
      if (awaitsApproval(run)) await notifyManagers(services, run.id, conversationId, turn.logger);
    },
  });
}

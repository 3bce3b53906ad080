import type { SubmittedCriteria } from '../../cards/index.js';
import { isDomainError } from '../../core/errors.js';
import { parseScope } from '../../core/match/match-scope.js';
import { settleCriteria } from '../../core/match/settle-criteria.js';
import { textReply, type Replies, type Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnRequest } from '../turn.js';
import { answerInTime } from './answer-in-time.js';
import { awaitsApproval, notifyManagers, rememberCopy, runCardKey } from './card-copies.js';
import { criteriaCard, progressCard, resultsCard } from './match-cards.js';

export const RUN_ONLY_NOTE =
  'These criteria were used for this run only: only managers can save match criteria on a table mapping.';

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
  scope = '',
): Promise<Replies> {
  const mapping = await services.mappings.get(mappingName);
  let notes: Reply[];
  try {
    parseScope(scope); // a bad scope in card data changes nothing, criteria included
    const settled = await settleCriteria(services, turn.actor, mapping, submitted);
    notes = [
      ...(settled.outcome === 'runOnly' ? [textReply(RUN_ONLY_NOTE)] : []),
      ...(settled.conflictsNote ? [textReply(settled.conflictsNote)] : []),
    ];
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return [criteriaCard(mapping, undefined, scope), textReply(e.message)];
  }
  const canDecide = services.roles.isManager(turn.actor);
  return answerInTime(turn, services, {
    work: services.match.service.proposeRun(turn.actor, mapping.name, submitted ?? undefined, scope),
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

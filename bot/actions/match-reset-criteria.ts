import { z } from 'zod';
import { Verb } from '../../cards/index.js';
import { isDomainError } from '../../core/errors.js';
import { criteriaCard } from '../match/match-cards.js';
import { textReply } from '../reply.js';
import { defineAction } from './action.js';
import { MappingName, MatchScopeText } from './match-data.js';

/** BC's Reset Criteria: core saves the default match settings (manager only) and the card shows them. */
export const matchResetCriteriaAction = defineAction({
  verb: Verb.matchResetCriteria,
  data: z.object({ mapping: MappingName, scope: MatchScopeText }),
  async handle(data, turn, services) {
    try {
      const mapping = await services.mappings.resetMatchCriteria(turn.actor, data.mapping);
      return criteriaCard(mapping, undefined, data.scope);
    } catch (e) {
      if (!isDomainError(e)) throw e;
      // The dialog stays usable: the saved criteria again, with the reason beside it.
      const mapping = await services.mappings.get(data.mapping);
      return [criteriaCard(mapping, undefined, data.scope), textReply(e.message)];
    }
  },
});

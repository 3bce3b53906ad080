import { z } from 'zod';
import { submittedCriteria, Verb } from '../../cards/index.js';
import { proposeFromCard } from '../match/propose.js';
import { defineAction } from './action.js';
import { MappingName, MatchScopeText } from './match-data.js';

/** Run on the criteria card (with its inputs) or on an import report (saved criteria). */
export const matchRunAction = defineAction({
  verb: Verb.matchRun,
  // Loose: the criteria inputs (match:<field>, …) ride along; core validates them.
  data: z.looseObject({ mapping: MappingName, scope: MatchScopeText }),
  handle: (data, turn, services) =>
    proposeFromCard(turn, services, data.mapping, submittedCriteria(data), data.scope),
});

import { z } from 'zod';
import { describeSelection } from '../../core/coupling/number-selection.js';
import { parseScope, scopeText } from '../../core/match/match-scope.js';
import { criteriaCard } from '../match/match-cards.js';
import { findServedMapping } from '../views/mapping-ref.js';
import { MappingRef, NumberSelection } from './args.js';
import { defineCommand } from './command.js';

/**
 * `match customers [10000..30000 40000]`: BC's Match-Based Coupling dialog for the mapping, with its
 * saved criteria, limited to those Business Central records when numbers are given (a backward range
 * is refused here, before any card). Run proposes couplings; nothing is coupled until a manager
 * approves them on the results card.
 */
export const match = defineCommand({
  patterns: ['match {mapping:mapping}', 'match {mapping:mapping} {numbers:nos}'],
  args: z.object({ mapping: MappingRef, numbers: NumberSelection.optional() }),
  example: 'match customers',
  async handle({ mapping, numbers }, _turn, services) {
    const scope = numbers ? scopeText(parseScope(describeSelection(numbers))) : '';
    return criteriaCard(await findServedMapping(mapping, services), undefined, scope);
  },
});

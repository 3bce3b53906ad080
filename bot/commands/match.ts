import { z } from 'zod';
import { criteriaCard } from '../match/match-cards.js';
import { findServedMapping } from '../views/mapping-ref.js';
import { MappingRef } from './args.js';
import { defineCommand } from './command.js';

/**
 * `match customers`: BC's Match-Based Coupling dialog for the mapping, with its saved criteria. Run
 * proposes couplings; nothing is coupled until a manager approves them on the results card.
 */
export const match = defineCommand({
  patterns: ['match {mapping:mapping}'],
  args: z.object({ mapping: MappingRef }),
  example: 'match customers',
  async handle({ mapping }, _turn, services) {
    return criteriaCard(await findServedMapping(mapping, services));
  },
});

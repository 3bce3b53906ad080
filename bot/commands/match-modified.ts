import { z } from 'zod';
import { MODIFIED } from '../../core/match/match-scope.js';
import { criteriaCard } from '../match/match-cards.js';
import { findServedMapping } from '../views/mapping-ref.js';
import { MappingRef } from './args.js';
import { defineCommand } from './command.js';

/**
 * `match customers modified`: the Match-Based Coupling dialog limited to the Business Central records
 * modified since the mapping's last approved match run (core/match/match-scope.ts says why that mark).
 */
export const matchModified = defineCommand({
  patterns: ['match {mapping:mapping} modified'],
  args: z.object({ mapping: MappingRef }),
  example: 'match customers modified',
  async handle({ mapping }, _turn, services) {
    return criteriaCard(await findServedMapping(mapping, services), undefined, MODIFIED);
  },
});

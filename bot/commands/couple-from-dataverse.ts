import { z } from 'zod';
import { coupleOutcome } from '../views/couple-result.js';
import { DvTable, Guid } from './args.js';
import { defineCommand } from './command.js';

/** `couple account <id>`: coupling started from the Dataverse side (core applies domain.md §3's rules). */
export const coupleFromDataverse = defineCommand({
  patterns: ['couple {dvTable:dv} {id:guid}'],
  args: z.object({ dvTable: DvTable, id: Guid }),
  example: 'couple account 8f4c2a61-3b7e-4d09-9c15-2e6a7b1d5f30',
  async handle({ dvTable, id }, turn, services) {
    const result = await services.coupling.coupleFromDataverse(turn.actor, { dvTable, id });
    return coupleOutcome(result, turn, services);
  },
});

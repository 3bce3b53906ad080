import { z } from 'zod';
import { setUpCouplingCard } from '../views/record.js';
import { BcNumber, BcTable } from './args.js';
import { defineCommand } from './command.js';

/** `couple customer 10000`: BC's Set Up Coupling — candidates to pick, or Create New. */
export const couple = defineCommand({
  patterns: ['couple {table:bc} {number:no}'],
  args: z.object({ table: BcTable, number: BcNumber }),
  example: 'couple customer 10000',
  async handle({ table, number }, turn, services) {
    const view = await services.coupling.setUpCoupling(turn.actor, table, number);
    return setUpCouplingCard(view, services);
  },
});

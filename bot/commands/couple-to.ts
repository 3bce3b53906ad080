import { z } from 'zod';
import { coupleOutcome } from '../views/couple-result.js';
import { BcNumber, BcTable, DvTable, RowRef } from './args.js';
import { defineCommand } from './command.js';

/** `couple customer 10000 to account <id | "exact name">`: couple directly, no card in between. */
export const coupleTo = defineCommand({
  patterns: ['couple {table:bc} {number:no} to {dvTable:dv} {row:ref}'],
  args: z.object({ table: BcTable, number: BcNumber, dvTable: DvTable, row: RowRef }),
  example: 'couple customer 10000 to account "Adatum Corporation"',
  async handle({ table, number, dvTable, row }, turn, services) {
    const result = await services.coupling.coupleTo(turn.actor, {
      bcTable: table,
      number,
      dvTable,
      idOrExactName: 'id' in row ? row.id : row.name,
    });
    return coupleOutcome(result, turn, services);
  },
});

import { z } from 'zod';
import { recordCard } from '../views/record.js';
import { BcNumber, BcTable } from './args.js';
import { defineCommand } from './command.js';

export const show = defineCommand({
  patterns: ['show {table:bc} {number:no}'],
  args: z.object({ table: BcTable, number: BcNumber }),
  example: 'show customer 10000',
  async handle({ table, number }, _turn, services) {
    const view = await services.coupling.describe(table, number);
    return recordCard(view, services);
  },
});

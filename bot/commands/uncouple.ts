import { z } from 'zod';
import { Verb } from '../../cards/index.js';
import { card } from '../views/cards.js';
import { expandSelection } from '../../core/coupling/number-selection.js';
import { servedMappingFor } from '../views/mapping-ref.js';
import { BcTable, NumberSelection } from './args.js';
import { defineCommand } from './command.js';

/** How many numbers the confirmation lists by name; all of them travel in the button's data. */
const LISTED = 20;

/** `uncouple customer 10000 20000..30000`: Delete Coupling, after a confirmation card. */
export const uncouple = defineCommand({
  patterns: ['uncouple {table:bc} {numbers:nos}'],
  args: z.object({ table: BcTable, numbers: NumberSelection }),
  example: 'uncouple customer 10000 20000',
  async handle({ table, numbers }, _turn, services) {
    await servedMappingFor(table, services);
    const selected = await expandSelection(table, numbers, services.bc);
    const listed = selected.slice(0, LISTED).map((n) => `${table} ${n}`);
    if (selected.length > LISTED) listed.push(`…and ${selected.length - LISTED} more`);
    return card('confirm', {
      title: 'Delete Coupling',
      text:
        `Delete the coupling of ${selected.length === 1 ? 'this record' : `these ${selected.length} records`}? ` +
        'The records stay in Business Central and Dataverse; only the link between them goes.',
      details: listed,
      confirmTitle: 'Delete Coupling',
      confirmVerb: Verb.uncoupleConfirm,
      confirmData: { bcTable: table, numbers: selected },
    });
  },
});

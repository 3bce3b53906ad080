import { z } from 'zod';
import { Verb } from '../../cards/index.js';
import { card } from '../views/cards.js';
import { findServedMapping } from '../views/mapping-ref.js';
import { MappingRef } from './args.js';
import { defineCommand } from './command.js';

/** `uncouple all customers`: Delete Couplings for a whole mapping — manager only, confirmed first. */
export const uncoupleAll = defineCommand({
  patterns: ['uncouple all {mapping:mapping}'],
  args: z.object({ mapping: MappingRef }),
  example: 'uncouple all customers',
  async handle({ mapping }, turn, services) {
    // Core decides who is a manager and checks again on confirmation; asking here spares a useless card.
    services.roles.requireManager(turn.actor, 'delete all couplings of a table mapping');
    const m = await findServedMapping(mapping, services);
    const count = await services.countCouplings(m.name);
    return card('confirm', {
      title: `Delete Couplings: ${m.name}`,
      text:
        `Delete all ${count} coupling${count === 1 ? '' : 's'} of table mapping ${m.name} ` +
        `(${m.bcTable} ↔ ${m.dvTable})? This runs as an Uncoupling job; the records themselves stay.`,
      confirmTitle: 'Delete Couplings',
      confirmVerb: Verb.uncoupleAllConfirm,
      confirmData: { mapping: m.name },
    });
  },
});

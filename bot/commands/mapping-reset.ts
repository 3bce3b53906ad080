import { z } from 'zod';
import { Verb } from '../../cards/index.js';
import { card } from '../views/cards.js';
import { findMapping } from '../views/mapping-ref.js';
import { MappingRef } from './args.js';
import { defineCommand } from './command.js';

/** `mapping customers reset`: back to the defaults, after a confirmation (manager only). */
export const mappingReset = defineCommand({
  patterns: ['mapping {mapping:mapping} reset'],
  args: z.object({ mapping: MappingRef }),
  example: 'mapping customers reset',
  async handle({ mapping }, turn, services) {
    services.roles.requireManager(turn.actor, 'change table mappings');
    const m = await findMapping(mapping, services);
    return card('confirm', {
      title: `Reset table mapping ${m.name}`,
      text:
        `Put table mapping ${m.name} back to its defaults: direction, filters, Synch. Only Coupled Records, ` +
        'conflict settings, field mappings and match criteria. Couplings and synchronization history stay.',
      confirmTitle: 'Reset to defaults',
      confirmVerb: Verb.mappingReset,
      // The version shown: if someone changes the mapping meanwhile, core refuses the stale reset.
      confirmData: { mapping: m.name, version: String(m.version) },
    });
  },
});

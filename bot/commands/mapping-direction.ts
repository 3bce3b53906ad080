import { z } from 'zod';
import { findMapping } from '../views/mapping-ref.js';
import { mappingChanged } from '../views/mapping-changed.js';
import { Direction, MappingRef } from './args.js';
import { defineCommand } from './command.js';

/** `mapping customers direction bidirectional` (manager only; core decides and audits). */
export const mappingDirection = defineCommand({
  patterns: ['mapping {mapping:mapping} direction {direction:dir}'],
  args: z.object({ mapping: MappingRef, direction: Direction }),
  example: 'mapping customers direction bidirectional',
  async handle({ mapping, direction }, turn, services) {
    const { name } = await findMapping(mapping, services);
    const updated = await services.mappings.setDirection(turn.actor, name, direction);
    return mappingChanged(`Table mapping ${updated.name}: direction set`, updated, turn, services);
  },
});

import { z } from 'zod';
import { findMapping } from '../views/mapping-ref.js';
import { mappingChanged } from '../views/mapping-changed.js';
import { MappingRef } from './args.js';
import { defineCommand } from './command.js';

/** `mapping customers sync-only-coupled off` (manager only; core decides and audits). */
export const mappingSyncOnlyCoupled = defineCommand({
  patterns: ['mapping {mapping:mapping} sync-only-coupled {on:onoff}'],
  args: z.object({ mapping: MappingRef, on: z.boolean() }),
  example: 'mapping customers sync-only-coupled off',
  async handle({ mapping, on }, turn, services) {
    const { name } = await findMapping(mapping, services);
    const updated = await services.mappings.setSyncOnlyCoupled(turn.actor, name, on);
    return mappingChanged(
      `Table mapping ${updated.name}: Synch. Only Coupled Records ${on ? 'on' : 'off'}`,
      updated,
      turn,
      services,
    );
  },
});

import { z } from 'zod';
import { MappingRef } from './args.js';
import { defineCommand } from './command.js';
import { findMapping } from '../views/mapping-ref.js';
import { syncErrorsCard } from '../views/sync-errors.js';

/** `errors [customers]`: Coupled Data Synchronization Errors with the actions each allows. */
export const errors = defineCommand({
  patterns: ['errors', 'errors {mapping:mapping}', 'error {mapping:mapping}'],
  args: z.object({ mapping: MappingRef.optional() }),
  example: 'errors customers',
  async handle({ mapping }, turn, services) {
    const m = mapping ? await findMapping(mapping, services) : undefined;
    return syncErrorsCard(m?.name, turn, services);
  },
});

import { z } from 'zod';
import { MappingRef } from './args.js';
import { defineCommand } from './command.js';
import { findMapping } from '../views/mapping-ref.js';
import { syncErrorsCard } from '../views/sync-errors.js';

/**
 * `errors [customers] recurring`: only the records that loop — failing the same way run after run, or
 * changed on both sides on every run — with their counts, since when, and the actions each allows.
 */
export const errorsRecurring = defineCommand({
  patterns: ['errors recurring', 'errors {mapping:mapping} recurring', 'error {mapping:mapping} recurring'],
  args: z.object({ mapping: MappingRef.optional() }),
  example: 'errors customers recurring',
  async handle({ mapping }, turn, services) {
    const m = mapping ? await findMapping(mapping, services) : undefined;
    return syncErrorsCard(m?.name, turn, services, { recurring: true });
  },
});

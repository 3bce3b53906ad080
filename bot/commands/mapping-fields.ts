import { z } from 'zod';
import { card } from '../views/cards.js';
import { findMapping } from '../views/mapping-ref.js';
import { mappingView } from '../views/mapping-view.js';
import { MappingRef } from './args.js';
import { defineCommand } from './command.js';

/** `mapping customers`: one mapping's field mappings (the mappings card's "Show field mappings"). */
export const mappingFields = defineCommand({
  patterns: ['mapping {mapping:mapping}', 'mapping {mapping:mapping} fields'],
  args: z.object({ mapping: MappingRef }),
  example: 'mapping customers',
  async handle({ mapping }, _turn, services) {
    return card('mappingFields', mappingView(await findMapping(mapping, services), services));
  },
});

import { z } from 'zod';
import { Verb } from '../../cards/index.js';
import { mappingChanged } from '../views/mapping-changed.js';
import { defineAction } from './action.js';
import { MappingName } from './data.js';

/** Confirmed reset: core checks the role, and that the mapping is still at the version the card showed. */
export const mappingResetAction = defineAction({
  verb: Verb.mappingReset,
  data: z.object({ mapping: MappingName, version: z.string().regex(/^\d{1,9}$/) }),
  async handle(data, turn, services) {
    const m = await services.mappings.resetToDefaults(turn.actor, data.mapping, Number(data.version));
    return mappingChanged(`Table mapping ${m.name}: reset to defaults`, m, turn, services);
  },
});

import { z } from 'zod';
import { Verb } from '../../cards/index.js';
import { MAX_SELECTED } from '../../core/coupling/number-selection.js';
import { runSynchronizeNow } from '../views/sync-flow.js';
import { defineAction } from './action.js';
import { DirectionInput, MappingName, RecordId } from './sync-data.js';

/** Synchronize on the direction card: core checks the direction against the mapping, then runs. */
export const syncRunAction = defineAction({
  verb: Verb.syncRun,
  data: z.object({
    mapping: MappingName,
    bcIds: z.array(RecordId).min(1).max(MAX_SELECTED),
    direction: DirectionInput,
  }),
  handle: (data, turn, services) =>
    runSynchronizeNow(data.mapping, data.bcIds, data.direction, turn, services),
});

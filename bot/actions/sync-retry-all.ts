import { z } from 'zod';
import { Verb } from '../../cards/index.js';
import { defineAction } from './action.js';
import { MappingName } from './sync-data.js';

/** Retry All: every open error of the mapping, as one job with the mapping's resolution strategies. */
export const syncRetryAllAction = defineAction({
  verb: Verb.syncRetryAll,
  data: z.object({ mapping: MappingName }),
  handle: (data, turn, services) =>
    services.backgroundJobs.start(turn, `Retry All · ${data.mapping}`, (options) =>
      services.syncErrors.retryAll(turn.actor, data.mapping, options),
    ),
});

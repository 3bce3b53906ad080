import { z } from 'zod';
import { Verb } from '../../cards/index.js';
import { decideRun } from '../match/decide.js';
import { defineAction } from './action.js';
import { RunId } from './match-data.js';

/** Reject: nothing is coupled; the run is closed (core: manager only, compare-and-set). */
export const matchRejectAction = defineAction({
  verb: Verb.matchReject,
  data: z.object({ runId: RunId }),
  handle: (data, turn, services) =>
    decideRun(turn, services, data.runId, () => services.match.service.reject(turn.actor, data.runId)),
});

import { z } from 'zod';
import { Verb } from '../../cards/index.js';
import { decideRun } from '../match/decide.js';
import { defineAction } from './action.js';
import { RunId } from './match-data.js';

/** Approve all: every proposal and Create New row of the run (core: manager only, exactly once). */
export const matchApproveAllAction = defineAction({
  verb: Verb.matchApproveAll,
  data: z.object({ runId: RunId }),
  handle: (data, turn, services) =>
    decideRun(turn, services, data.runId, (hooks) =>
      services.match.service.approve(turn.actor, data.runId, { all: true }, hooks),
    ),
});

import { z } from 'zod';
import { Verb } from '../../cards/index.js';
import { undoAnswerReply } from '../views/job-undo.js';
import { defineAction } from './action.js';
import { Guid } from './data.js';

/**
 * Undo on a result card: core checks who may, claims the job once (a second click answers who undid
 * it and when) and reverses what still holds what the job wrote.
 */
export const jobUndoAction = defineAction({
  verb: Verb.jobUndo,
  data: z.object({ jobId: Guid }),
  async handle(data, turn, services) {
    return undoAnswerReply(turn, services, await services.undo.undo(data.jobId, turn.actor));
  },
});

import { z } from 'zod';
import { Verb } from '../../cards/index.js';
import { cancelAnswerReply } from '../views/job-cancel.js';
import { defineAction } from './action.js';
import { Guid } from './data.js';

/**
 * Cancel on a running-job card: core checks who may and sets the cancel request; the card says
 * "Cancelling…" until the runner stops and the out-of-turn update replaces it with the Cancelled result.
 */
export const jobCancelAction = defineAction({
  verb: Verb.jobCancel,
  data: z.object({ jobId: Guid }),
  async handle(data, turn, services) {
    return cancelAnswerReply(turn, services, await services.jobControl.requestCancel(data.jobId, turn.actor));
  },
});

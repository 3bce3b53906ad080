import { z } from 'zod';
import { cancelAnswerReply } from '../views/job-cancel.js';
import { Guid } from './args.js';
import { defineCommand } from './command.js';

/** `cancel job <id>` / `cancel last`: ask a running job to stop (who started it, or a manager). */
export const cancelJob = defineCommand({
  patterns: ['cancel job {jobId:job}', 'cancel last'],
  args: z.object({ jobId: Guid.optional() }),
  example: 'cancel job 3f2504e0-4f89-41d3-9a0c-0305e82c3301',
  async handle({ jobId }, turn, services) {
    const answer =
      jobId === undefined
        ? await services.jobControl.requestCancelLast(turn.actor)
        : await services.jobControl.requestCancel(jobId, turn.actor);
    return cancelAnswerReply(turn, services, answer);
  },
});

import { z } from 'zod';
import { undoAnswerReply } from '../views/job-undo.js';
import { Guid } from './args.js';
import { defineCommand } from './command.js';

/** `undo job <id>` / `undo last`: reverse what a job changed (its starter for one record, else a manager). */
export const undoJob = defineCommand({
  patterns: ['undo job {jobId:job}', 'undo last'],
  args: z.object({ jobId: Guid.optional() }),
  example: 'undo job 3f2504e0-4f89-41d3-9a0c-0305e82c3301',
  async handle({ jobId }, turn, services) {
    const answer =
      jobId === undefined
        ? await services.undo.undoLast(turn.actor)
        : await services.undo.undo(jobId, turn.actor);
    return undoAnswerReply(turn, services, answer);
  },
});

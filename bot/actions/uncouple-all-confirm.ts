import { z } from 'zod';
import { Verb } from '../../cards/index.js';
import { RunInProgressError } from '../../core/jobs/run-lock.js';
import type { Job } from '../../core/model/job.js';
import type { RunOptions } from '../../core/sync/job-runner.js';
import { alreadyRunning } from '../commands/sync-mapping.js';
import type { Replies } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnRequest } from '../turn.js';
import { outcome } from '../views/cards.js';
import { defineAction } from './action.js';
import { MappingName } from './data.js';

/**
 * Delete Couplings for a mapping as an Uncoupling job in the background; core checks the manager role.
 * The answer is the running card, kept moving while the couplings go and replaced by the outcome.
 * A mapping busy with another run rejects with RunInProgressError, before anything starts.
 */
export async function runUncoupleAll(
  mapping: string,
  turn: TurnRequest,
  services: BotServices,
): Promise<Replies> {
  const run = async (options: RunOptions): Promise<{ job: Job }> => {
    let started: Job | undefined;
    const onStarted = (job: Job) => {
      started = job;
      options.onStarted?.(job);
    };
    try {
      return { job: await services.coupling.uncoupleAll(turn.actor, mapping, { onStarted }) };
    } catch (e) {
      // Once the job exists its card waits for a result: the Failed job, with what stopped it, is that result.
      const failed = started && (await services.jobs.get(started.id));
      if (failed) return { job: failed };
      throw e;
    }
  };
  const reply = await services.backgroundJobs.startJob(turn, 'Delete Couplings', run, async ({ job }) =>
    uncoupledCard(job, turn, services),
  );
  return [reply];
}

/** What Delete Couplings did: the job's message and counter, and Undo when something was uncoupled. */
function uncoupledCard(job: Job, turn: TurnRequest, services: BotServices) {
  return outcome(turn, services, {
    title: `Delete Couplings: ${job.mapping}`,
    lines: [
      job.message,
      `Job ${job.id} · Type ${job.type} · ${job.status} · Uncoupled ${job.counters.uncoupled}`,
    ],
    tone: job.status === 'Finished' ? 'success' : 'failure',
    ...(job.counters.uncoupled > 0 ? { undoJobId: job.id } : {}),
  });
}

/** Confirmed Delete Couplings for a mapping: core checks the manager role and runs the Uncoupling job. */
export const uncoupleAllConfirmAction = defineAction({
  verb: Verb.uncoupleAllConfirm,
  data: z.object({ mapping: MappingName }),
  async handle(data, turn, services) {
    try {
      return await runUncoupleAll(data.mapping, turn, services);
    } catch (e) {
      if (!(e instanceof RunInProgressError)) throw e;
      return alreadyRunning(e, turn);
    }
  },
});

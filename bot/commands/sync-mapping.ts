import { RunInProgressError } from '../../core/jobs/run-lock.js';
import type { MappingRef } from '../parser/mapping-names.js';
import { textReply, type Replies } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnRequest } from '../turn.js';
import { card } from '../views/cards.js';
import { findServedMapping } from '../views/mapping-ref.js';

/**
 * Whole-mapping runs are jobs: answered with a running card at once, updated when the job finishes.
 * A mapping already being synchronized (by anyone, on any instance) answers with who started that run
 * and when, and its running card, instead of a second job.
 */
export async function startMappingJob(
  ref: MappingRef,
  full: boolean,
  turn: TurnRequest,
  services: BotServices,
): Promise<Replies> {
  const m = await findServedMapping(ref, services);
  const label = `${full ? 'Full synchronization' : 'Synchronize Modified Records'} · ${m.direction}`;
  try {
    return await services.backgroundJobs.start(turn, label, (options) =>
      full
        ? services.sync.synchronizeAll(turn.actor, m.name, options)
        : services.sync.synchronizeModified(turn.actor, m.name, options),
    );
  } catch (e) {
    if (!(e instanceof RunInProgressError)) throw e;
    return alreadyRunning(e, turn);
  }
}

/** A second run of a busy mapping: who started the running one and when, with its running card. */
export function alreadyRunning(e: RunInProgressError, turn: TurnRequest): Replies {
  turn.logger.info(
    { mapping: e.mapping, runningJob: e.job?.id ?? null },
    'run refused: mapping already running',
  );
  if (!e.job) return textReply(e.message);
  const { job } = e;
  return [
    textReply(e.message),
    card('jobRunning', {
      jobId: job.id,
      mapping: job.mapping,
      type: job.type,
      direction: job.type === 'Synchronization' ? `Synchronization · ${job.direction}` : job.type,
      startedAt: job.startedAt,
      startedBy: job.startedBy,
      note: `Running… type status ${job.mapping.toLowerCase()} to see its counters.`,
    }),
  ];
}

import type { MappingRef } from '../parser/mapping-names.js';
import type { Replies } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnRequest } from '../turn.js';
import { findServedMapping } from '../views/mapping-ref.js';

/** Whole-mapping runs are jobs: answered with a running card at once, updated when the job finishes. */
export async function startMappingJob(
  ref: MappingRef,
  full: boolean,
  turn: TurnRequest,
  services: BotServices,
): Promise<Replies> {
  const m = await findServedMapping(ref, services);
  const label = `${full ? 'Full synchronization' : 'Synchronize Modified Records'} · ${m.direction}`;
  return services.backgroundJobs.start(turn, label, (options) =>
    full
      ? services.sync.synchronizeAll(turn.actor, m.name, options)
      : services.sync.synchronizeModified(turn.actor, m.name, options),
  );
}

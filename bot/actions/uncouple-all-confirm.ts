import { z } from 'zod';
import { Verb } from '../../cards/index.js';
import type { Replies } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnRequest } from '../turn.js';
import { outcome } from '../views/cards.js';
import { defineAction } from './action.js';
import { MappingName } from './data.js';

/** Delete Couplings for a mapping as an Uncoupling job; core checks the manager role. */
export async function runUncoupleAll(
  mapping: string,
  turn: TurnRequest,
  services: BotServices,
): Promise<Replies> {
  const job = await services.coupling.uncoupleAll(turn.actor, mapping);
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
  handle: (data, turn, services) => runUncoupleAll(data.mapping, turn, services),
});

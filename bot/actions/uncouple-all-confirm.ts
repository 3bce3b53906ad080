import { z } from 'zod';
import { Verb } from '../../cards/index.js';
import { outcome } from '../views/cards.js';
import { defineAction } from './action.js';
import { MappingName } from './data.js';

/** Confirmed Delete Couplings for a mapping: core checks the manager role and runs the Uncoupling job. */
export const uncoupleAllConfirmAction = defineAction({
  verb: Verb.uncoupleAllConfirm,
  data: z.object({ mapping: MappingName }),
  async handle(data, turn, services) {
    const job = await services.coupling.uncoupleAll(turn.actor, data.mapping);
    return outcome(turn, services, {
      title: `Delete Couplings: ${job.mapping}`,
      lines: [
        job.message,
        `Job ${job.id} · Type ${job.type} · ${job.status} · Uncoupled ${job.counters.uncoupled}`,
      ],
      tone: job.status === 'Finished' ? 'success' : 'failure',
      ...(job.counters.uncoupled > 0 ? { undoJobId: job.id } : {}),
    });
  },
});

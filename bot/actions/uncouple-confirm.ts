import { z } from 'zod';
import { Verb } from '../../cards/index.js';
import { outcome } from '../views/cards.js';
import { MAX_SELECTED } from '../../core/coupling/number-selection.js';
import { defineAction } from './action.js';
import { BcNumber, BcTable } from './data.js';

/** The outcome card lists this many records one per line. */
const LINES = 40;

/** Confirmed Delete Coupling: each record gets its own outcome from core. */
export const uncoupleConfirmAction = defineAction({
  verb: Verb.uncoupleConfirm,
  data: z.object({ bcTable: BcTable, numbers: z.array(BcNumber).min(1).max(MAX_SELECTED) }),
  async handle(data, turn, services) {
    const outcomes = await services.coupling.uncouple(turn.actor, data.bcTable, data.numbers);
    const done = outcomes.filter((o) => o.outcome === 'uncoupled').length;
    const lines = outcomes.slice(0, LINES).map((o) => o.message);
    if (outcomes.length > LINES) lines.push(`…and ${outcomes.length - LINES} more.`);
    return outcome(turn, services, {
      title: `Delete Coupling: ${done} of ${outcomes.length} uncoupled`,
      lines,
      tone: done === outcomes.length ? 'success' : done === 0 ? 'warning' : 'info',
      undoJobId: outcomes.find((o) => o.jobId)?.jobId,
    });
  },
});

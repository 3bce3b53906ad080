import { z } from 'zod';
import { Verb } from '../../cards/index.js';
import { textReply } from '../reply.js';
import { resultsCard } from '../match/match-cards.js';
import { synchronizeAfterCoupling } from '../match/sync-after.js';
import { defineAction } from './action.js';
import { PageNumber, RowKind, RunId } from './match-data.js';

/**
 * Couple on a near candidate of the results card: one pair, not the run. Core checks the role, that the
 * pair was proposed in this run and that both records are still free; the card comes back on the same
 * page with the pair marked coupled, and the run still awaits its decision.
 */
export const matchApproveNearAction = defineAction({
  verb: Verb.matchApproveNear,
  data: z.object({
    runId: RunId,
    rowId: z.string().min(3).max(150),
    dvId: z.string().min(1).max(100),
    page: PageNumber.default(0),
    kind: RowKind,
  }),
  async handle(data, turn, services) {
    const done = await services.match.service.approveNear(turn.actor, data.runId, {
      rowId: data.rowId,
      dvId: data.dvId,
    });
    const card = await resultsCard(services, data.runId, {
      canDecide: services.roles.isManager(turn.actor),
      page: data.page,
      ...(data.kind ? { kind: data.kind } : {}),
    });
    const who = `${done.bc.number} ${done.bc.name}`.trim();
    const line = done.already
      ? `${who} is already coupled to its near match ${done.candidate.dvName}; nothing changed.`
      : `Coupled ${who} to its near match ${done.candidate.dvName} (${done.candidate.score}%).`;
    const report = await synchronizeAfterCoupling(services, turn.actor, done);
    return report ? [card, textReply(line), textReply(report)] : [card, textReply(line)];
  },
});

import { z } from 'zod';
import { chosenNear, Verb } from '../../cards/index.js';
import { DomainError, ErrorCode } from '../../core/errors.js';
import { textReply } from '../reply.js';
import { resultsCard } from '../match/match-cards.js';
import { synchronizeAfterCoupling } from '../match/sync-after.js';
import { defineAction } from './action.js';
import { PageNumber, RowKind, RunId } from './match-data.js';

/**
 * "Couple to this near match" on a row of the results card: the candidate chosen in the row's picker,
 * one pair, not the run. The choice is an unsigned input, so core checks that it is one of the near
 * candidates stored for that row, besides the role and that both records are still free. The card comes
 * back on the same page with the pair marked coupled, and the run still awaits its decision.
 */
export const matchApproveNearAction = defineAction({
  verb: Verb.matchApproveNear,
  // Loose: the row pickers (near:<rowId>) and checkboxes ride along with the signed data.
  data: z.looseObject({
    runId: RunId,
    rowId: z.string().min(3).max(150),
    page: PageNumber.default(0),
    kind: RowKind,
  }),
  async handle(data, turn, services) {
    const dvId = chosenNear(data, data.rowId);
    if (dvId === null) {
      services.roles.requireManager(turn.actor, 'approve a near match');
      throw new DomainError(
        ErrorCode.InvalidInput,
        'Choose one of the near matches first. Nothing was changed.',
      );
    }
    const done = await services.match.service.approveNear(turn.actor, data.runId, {
      rowId: data.rowId,
      dvId,
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

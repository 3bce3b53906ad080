import { z } from 'zod';
import { selectedRowIds, Verb } from '../../cards/index.js';
import { DomainError, ErrorCode } from '../../core/errors.js';
import { decideRun } from '../match/decide.js';
import { defineAction } from './action.js';
import { RunId } from './match-data.js';

/**
 * Approve selected: the ticked rows only. Row ids come from unsigned inputs, so core checks that each
 * is a proposal of this very run and refuses the whole approval otherwise.
 */
export const matchApproveSelectedAction = defineAction({
  verb: Verb.matchApproveSelected,
  // Loose: the row:<id> toggles ride along with the signed run id.
  data: z.looseObject({ runId: RunId }),
  async handle(data, turn, services) {
    const rowIds = selectedRowIds(data);
    if (rowIds.length === 0) {
      services.roles.requireManager(turn.actor, 'approve match-based coupling');
      throw new DomainError(
        ErrorCode.InvalidInput,
        'No rows were ticked. Tick the rows to approve, or use Approve all. Nothing was applied.',
      );
    }
    return decideRun(turn, services, data.runId, (hooks) =>
      services.match.service.approve(turn.actor, data.runId, { rowIds }, hooks),
    );
  },
});

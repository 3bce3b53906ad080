import { Verb } from '../../cards/index.js';
import { errorActionReply } from '../views/sync-error-outcome.js';
import { defineAction } from './action.js';
import { ErrorData } from './sync-data.js';

/** Restore Records on a deletion error: the deleted partner is created again and coupled. */
export const errorRestoreAction = defineAction({
  verb: Verb.errorRestore,
  data: ErrorData,
  async handle(data, turn, services) {
    const result = await services.syncErrors.restoreRecords(turn.actor, data.errorId);
    return errorActionReply('Restore Records', result, turn, services);
  },
});

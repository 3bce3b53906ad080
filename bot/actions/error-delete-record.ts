import { Verb } from '../../cards/index.js';
import { errorActionReply } from '../views/sync-error-outcome.js';
import { defineAction } from './action.js';
import { ErrorData } from './sync-data.js';

/** Delete Records on a deletion error: the record left behind goes too (managers only, decided in core). */
export const errorDeleteRecordAction = defineAction({
  verb: Verb.errorDeleteRecord,
  data: ErrorData,
  async handle(data, turn, services) {
    const result = await services.syncErrors.deleteRecords(turn.actor, data.errorId);
    return errorActionReply('Delete Records', result, turn, services);
  },
});

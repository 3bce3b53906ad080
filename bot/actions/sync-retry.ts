import { Verb } from '../../cards/index.js';
import { errorActionReply } from '../views/sync-error-outcome.js';
import { defineAction } from './action.js';
import { ErrorData } from './sync-data.js';

/** Retry on an error: clears Skipped and synchronizes with the mapping's rules (core re-checks the error). */
export const syncRetryAction = defineAction({
  verb: Verb.syncRetry,
  data: ErrorData,
  async handle(data, turn, services) {
    const result = await services.syncErrors.retry(turn.actor, data.errorId);
    return errorActionReply('Retry', result, turn, services);
  },
});

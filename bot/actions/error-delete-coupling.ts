import { Verb } from '../../cards/index.js';
import { errorActionReply } from '../views/sync-error-outcome.js';
import { defineAction } from './action.js';
import { ErrorData } from './sync-data.js';

/** Delete Coupling on an error: the records stay, their link and the error go. */
export const errorDeleteCouplingAction = defineAction({
  verb: Verb.errorDeleteCoupling,
  data: ErrorData,
  async handle(data, turn, services) {
    const result = await services.syncErrors.deleteCoupling(turn.actor, data.errorId);
    return errorActionReply('Delete Coupling', result, turn, services);
  },
});

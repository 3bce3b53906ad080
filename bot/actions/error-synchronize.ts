import { z } from 'zod';
import { Verb } from '../../cards/index.js';
import { DomainError, ErrorCode } from '../../core/errors.js';
import { parseDirection } from '../../core/sync/sync-service.js';
import { errorActionReply, sideChoiceCard } from '../views/sync-error-outcome.js';
import { defineAction } from './action.js';
import { DirectionInput, ErrorId } from './sync-data.js';

/**
 * Synchronize on an error (BC's "choose which side wins"): the first click opens the choice, which
 * comes back here with the chosen direction; core re-checks that the error is still open.
 */
export const errorSynchronizeAction = defineAction({
  verb: Verb.errorSynchronize,
  data: z.object({ errorId: ErrorId, direction: DirectionInput.optional() }),
  async handle(data, turn, services) {
    if (data.direction === undefined) return sideChoiceCard(data.errorId, services);
    const option = parseDirection(data.direction);
    if (option === 'Bidirectional') {
      throw new DomainError(
        ErrorCode.InvalidInput,
        'Choose which side wins: Send data update to Dataverse (Business Central wins) or Get data update ' +
          'from Dataverse (Dataverse wins). Nothing was changed.',
      );
    }
    const winner = option === 'ToIntegrationTable' ? 'bc' : 'dv';
    const result = await services.syncErrors.synchronize(turn.actor, data.errorId, winner);
    const side = winner === 'bc' ? 'Business Central wins' : 'Dataverse wins';
    return errorActionReply(`Synchronize (${side})`, result, turn, services);
  },
});

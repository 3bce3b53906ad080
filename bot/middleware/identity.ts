import { ActivityTypes, type Middleware } from 'botbuilder';
import type { Logger } from '../../core/logger.js';
import { cachedRoster, type Roster } from '../identity/roster.js';
import { respondWithText } from '../reply.js';
import { ACTOR, tenantOf } from '../turn.js';

export const NO_IDENTITY =
  'I can’t tell who you are: this message carries no Microsoft Entra user id, so I can’t read or change ' +
  'anything. Use Coupling Assistant from Microsoft Teams signed in with your work account.';

/**
 * Who acts is the Entra object id (`from.aadObjectId`), never `from.id`; the name shown in audit trails
 * and "started by" comes from the Teams roster, never from the `from.name` the activity claims. A
 * message or card click without an object id is refused before any work; other activities (the bot
 * being added to a chat) go on without an actor, and can neither read nor change anything.
 */
export function identity(roster: Roster, logger: Logger): Middleware {
  const nameOf = cachedRoster(roster, logger);
  return {
    async onTurn(context, next) {
      const { activity } = context;
      const aadObjectId = activity.from?.aadObjectId?.trim();
      if (!aadObjectId) {
        if (activity.type !== ActivityTypes.Message && activity.type !== ActivityTypes.Invoke) return next();
        logger.warn({ activityType: activity.type }, 'activity without an Entra object id refused');
        return respondWithText(context, NO_IDENTITY);
      }
      const tenantId = tenantOf(context);
      context.turnState.set(ACTOR, {
        id: aadObjectId,
        name: await nameOf(context, aadObjectId, tenantId),
        conversationId: activity.conversation?.id,
        tenantId,
      });
      await next();
    },
  };
}

import { ActivityTypes, type Middleware } from 'botbuilder';
import type { Logger } from '../../core/logger.js';
import { respondWithText } from '../reply.js';

export const TEAMS_ONLY = 'Coupling Assistant works in Microsoft Teams. Nothing was done.';

/**
 * Only Teams activities act (`channelId` msteams; the Agents Playground sends it too). A message or
 * click from another channel gets one short line and nothing else: no conversation is remembered, no
 * command runs.
 */
export function teamsOnly(logger: Logger): Middleware {
  return {
    async onTurn(context, next) {
      const { activity } = context;
      if (activity.channelId === 'msteams') return next();
      logger.info(
        { channelId: String(activity.channelId ?? '').slice(0, 100), activityType: activity.type },
        'activity from another channel than Microsoft Teams',
      );
      if (activity.type === ActivityTypes.Message || activity.type === ActivityTypes.Invoke)
        await respondWithText(context, TEAMS_ONLY);
    },
  };
}

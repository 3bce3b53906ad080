import { randomUUID } from 'node:crypto';
import type { Middleware } from 'botbuilder';
import type { Logger } from '../../core/logger.js';
import { CORRELATION_ID, TURN_LOGGER, tenantOf } from '../turn.js';

/**
 * Gives every turn a correlation id (the activity id, or a fresh one) and a child logger carrying it,
 * so one id ties the user's apology message to the log lines behind it.
 */
export function correlation(logger: Logger): Middleware {
  return {
    async onTurn(context, next) {
      const { activity } = context;
      const correlationId = activity.id && activity.id.length <= 200 ? activity.id : randomUUID();
      const child = logger.child({
        correlationId,
        activityType: activity.type,
        conversationId: activity.conversation?.id,
        tenantId: tenantOf(context),
      });
      context.turnState.set(CORRELATION_ID, correlationId);
      context.turnState.set(TURN_LOGGER, child);
      const started = process.hrtime.bigint();
      await next();
      child.debug({ ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'turn done');
    },
  };
}

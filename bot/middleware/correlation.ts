import { randomUUID } from 'node:crypto';
import type { Middleware } from 'botbuilder';
import type { Logger } from '../../core/logger.js';
import { noTelemetry, type Telemetry } from '../../core/ports/telemetry.js';
import { CORRELATION_ID, TURN_LOGGER, tenantOf } from '../turn.js';

/**
 * Gives every turn a correlation id (the activity id, or a fresh one) and a child logger carrying it,
 * so one id ties the user's apology message to the log lines behind it. The turn runs in a span
 * carrying the same id (outbound calls made during the turn are its children) and its duration is
 * recorded, failed or not.
 */
export function correlation(logger: Logger, telemetry: Telemetry = noTelemetry): Middleware {
  return {
    async onTurn(context, next) {
      const { activity } = context;
      const correlationId = activity.id && activity.id.length <= 200 ? activity.id : randomUUID();
      const tenantId = tenantOf(context);
      const child = logger.child({
        correlationId,
        activityType: activity.type,
        conversationId: activity.conversation?.id,
        tenantId,
      });
      context.turnState.set(CORRELATION_ID, correlationId);
      context.turnState.set(TURN_LOGGER, child);
      const activityType = String(activity.type ?? 'unknown');
      const attributes = {
        correlationId,
        'activity.type': activityType,
        'activity.name': activity.name,
        'conversation.type': activity.conversation?.conversationType,
        tenantId,
      };
      const started = process.hrtime.bigint();
      let outcome: 'ok' | 'error' = 'error';
      try {
        await telemetry.inSpan(`turn ${activityType}`, 'server', attributes, async () => {
          await next();
          outcome = 'ok';
        });
      } finally {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        telemetry.turnEnded(ms, { activityType, outcome });
        child.debug({ ms }, 'turn done');
      }
    },
  };
}

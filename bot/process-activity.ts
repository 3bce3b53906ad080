import type { Activity, TurnContext } from 'botbuilder';
import type { Request, Response } from 'restify';
import type { Logger } from '../core/logger.js';
import type { EdgeAdapter } from './adapter.js';
import { createLogThrottle, type LogThrottle } from './log-throttle.js';

/** What the SDK's own `process` does to an activity's time stamps before the turn (activityValidator). */
function withDates(activity: Activity): Activity {
  const raw = activity as unknown as Record<string, unknown>;
  for (const [field, rawField] of [
    ['timestamp', 'rawTimestamp'],
    ['expiration', 'rawExpiration'],
    ['localTimestamp', 'rawLocalTimestamp'],
  ] as const) {
    const value = raw[field];
    if (typeof value === 'string') {
      raw[rawField] = value;
      raw[field] = new Date(value);
    }
  }
  return activity;
}

const isRefusal = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && (err as { statusCode?: unknown }).statusCode === 401;

/**
 * Runs one already-checked activity through the adapter and answers the request. CloudAdapter's own
 * `process` writes every failure to the console (a stack per refused request: an unauthenticated flood
 * became an unbounded stream of stderr) and answers 500s with the library's message. Here a refusal is
 * a bare 401 (the authentication guard has logged why, rate-limited), and any other failure is logged
 * once a minute per message and answered 500 without detail.
 */
export function createActivityProcessor(
  logger: Pick<Logger, 'error'>,
  throttle: LogThrottle = createLogThrottle(),
) {
  return async function processActivity(
    adapter: EdgeAdapter,
    req: Request,
    res: Response,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const authHeader = req.headers.authorization ?? '';
    try {
      const answer = await adapter.runTurn(authHeader, withDates(req.body as Activity), logic);
      res.status(answer?.status ?? 200);
      if (answer?.body !== undefined) res.send(answer.body);
      res.end();
    } catch (err) {
      if (isRefusal(err)) {
        res.send(401);
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      const admitted = throttle.admit(`process|${message.slice(0, 200)}`);
      if (admitted) logger.error({ err, suppressed: admitted.suppressed }, 'request to /api/messages failed');
      if (!res.headersSent) res.send(500);
    }
  };
}

import type { Activity, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Logger } from '../core/logger.js';
import { createLogThrottle, type LogThrottle } from './log-throttle.js';

/**
 * CloudAdapter answers 401 only for the SDK's own AuthenticationError. A forged token signed with
 * someone else's key (jsonwebtoken's "invalid signature"), or one whose signing keys cannot be fetched,
 * fails with other errors, which the adapter turns into a 500 carrying the library's message. Here every
 * failure to authenticate becomes the SDK's refusal of a request without a token: a plain 401 that tells
 * the caller nothing. The real reason is logged (never the token): a warning for a bad token, an error
 * when validation itself failed (e.g. the Bot Framework's OpenID keys are unreachable from this host).
 * Rate-limited: one line per reason a minute, with the count of those held back since the last one.
 */
export function refuseUnverifiedRequests(
  auth: ConfigurationBotFrameworkAuthentication,
  logger: Logger,
  throttle: LogThrottle = createLogThrottle(),
): ConfigurationBotFrameworkAuthentication {
  const authenticate = auth.authenticateRequest.bind(auth);

  /** With an app id set, the SDK refuses an empty header before any network call. */
  const refusal = async (activity: Activity): Promise<unknown> => {
    try {
      await authenticate(activity, '');
    } catch (e) {
      return e;
    }
    return undefined;
  };

  auth.authenticateRequest = async (activity, authHeader) => {
    try {
      return await authenticate(activity, authHeader);
    } catch (err) {
      const sdkRefusal = await refusal(activity);
      const tokenRejected =
        sdkRefusal instanceof Error &&
        err instanceof sdkRefusal.constructor &&
        (err as { statusCode?: unknown }).statusCode === 401;
      const reason = (err instanceof Error ? err.message : String(err)).slice(0, 300);
      const hadToken = authHeader.trim().length > 0;
      const admitted = throttle.admit(`${tokenRejected}|${hadToken}|${reason}`);
      if (admitted) {
        const detail = {
          reason,
          hadToken,
          serviceUrl: activity.serviceUrl?.slice(0, 200),
          suppressed: admitted.suppressed,
        };
        if (tokenRejected) logger.warn(detail, 'request refused: not a valid Bot Framework token');
        else logger.error(detail, 'request refused: the Bot Framework token could not be validated');
      }
      throw sdkRefusal ?? err;
    }
  };
  return auth;
}

import {
  ActivityTypes,
  CloudAdapter,
  type Activity,
  type InvokeResponse,
  ConfigurationBotFrameworkAuthentication,
  type BotAdapter,
  type TurnContext,
} from 'botbuilder';
import { ConfigError, type Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import { refuseUnverifiedRequests } from './auth-guard.js';
import { reuseConnectorClients } from './connector-reuse.js';
import { isLoopbackUrl } from './local-only.js';
import { respondWithText } from './reply.js';
import { correlationIdOf } from './turn.js';

type AuthConfig = Pick<
  Config,
  'NODE_ENV' | 'MicrosoftAppId' | 'MicrosoftAppPassword' | 'MicrosoftAppType' | 'MicrosoftAppTenantId'
>;

/**
 * Bot Framework authentication from Config (never from process.env). Without an app id, requests are
 * not authenticated — fine for the Agents Playground on this machine, refused in production.
 */
export function createAuthentication(
  config: AuthConfig,
  logger: Logger,
): ConfigurationBotFrameworkAuthentication {
  if (!config.MicrosoftAppId) {
    if (config.NODE_ENV === 'production') {
      throw new ConfigError(
        'Invalid configuration: MicrosoftAppId: required when NODE_ENV=production (set MicrosoftAppId, ' +
          'MicrosoftAppPassword and MicrosoftAppTenantId from the Azure Bot registration); refusing to start ' +
          'without authentication.',
      );
    }
    logger.warn(
      '!!! AUTHENTICATION IS OFF: MicrosoftAppId is not set, so /api/messages serves local clients only ' +
        '(loopback interfaces, loopback serviceUrls). Fine for the Agents Playground on this machine. !!!',
    );
    return onlyLoopbackServiceUrls(
      new ConfigurationBotFrameworkAuthentication({ MicrosoftAppType: 'MultiTenant' }),
      logger,
    );
  }
  try {
    const auth = new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: config.MicrosoftAppId,
      MicrosoftAppPassword: config.MicrosoftAppPassword,
      MicrosoftAppType: config.MicrosoftAppType,
      MicrosoftAppTenantId: config.MicrosoftAppTenantId,
    });
    return refuseUnverifiedRequests(auth, logger);
  } catch (e) {
    // The SDK's assertion says which setting is missing (e.g. MicrosoftAppTenantId for SingleTenant).
    throw new ConfigError(`Invalid configuration: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Without authentication nothing vouches for an activity's serviceUrl, and the bot posts its replies
 * there: only this machine's are accepted, so a forged activity cannot make the bot call another host.
 */
function onlyLoopbackServiceUrls(
  auth: ConfigurationBotFrameworkAuthentication,
  logger: Logger,
): ConfigurationBotFrameworkAuthentication {
  const authenticate = auth.authenticateRequest.bind(auth);
  // CloudAdapter answers 401 only for the SDK's own AuthenticationError: an app that requires a token
  // refuses an empty header with exactly that, before any network call.
  const requiresToken = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: 'local-only',
    MicrosoftAppType: 'MultiTenant',
  });
  auth.authenticateRequest = async (activity, authHeader) => {
    if (!isLoopbackUrl(activity.serviceUrl)) {
      logger.warn(
        { serviceUrl: activity.serviceUrl?.slice(0, 200) },
        'request refused: authentication is off and its serviceUrl is not on this machine',
      );
      await requiresToken.authenticateRequest(activity, '');
      throw new Error('refused: serviceUrl not on this machine'); // not reached: the line above throws
    }
    return authenticate(activity, authHeader);
  };
  return auth;
}

export const apology = (correlationId: string): string =>
  `Sorry — something went wrong on my side. If it keeps happening, give this reference to your admin: ${correlationId}`;

/**
 * Last line of defence for a turn: log the detail with the correlation id, answer with a short apology
 * and the id (never a stack trace), and never let the error escape to crash the process.
 */
export function turnErrorHandler(logger: Logger) {
  return async (context: TurnContext, error: Error): Promise<void> => {
    const correlationId = correlationIdOf(context);
    logger.error(
      { err: error, correlationId, activityType: context.activity.type },
      'unhandled error in a turn',
    );
    try {
      if (context.activity.type === ActivityTypes.Message || context.activity.type === ActivityTypes.Invoke) {
        await respondWithText(context, apology(correlationId));
      }
    } catch (sendError) {
      logger.error({ err: sendError, correlationId }, 'could not send the apology');
    }
  };
}

/**
 * The CloudAdapter whose turns the server starts itself (`bot/process-activity.ts`) instead of through
 * the SDK's `process`, which prints every failure to the console and answers 500s with its message.
 */
export class EdgeAdapter extends CloudAdapter {
  /** One turn for an activity already read and checked; resolves to the invoke answer, if any. */
  runTurn(
    authHeader: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

export function createCloudAdapter(config: AuthConfig, logger: Logger): EdgeAdapter {
  const adapter = new EdgeAdapter(reuseConnectorClients(createAuthentication(config, logger)));
  installTurnErrorHandler(adapter, logger);
  return adapter;
}

/** Same error handling for any adapter (the TestAdapter in flow tests). */
export function installTurnErrorHandler(adapter: BotAdapter, logger: Logger): void {
  adapter.onTurnError = turnErrorHandler(logger);
}

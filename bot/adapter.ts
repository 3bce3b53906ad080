import {
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type BotAdapter,
  type TurnContext,
} from 'botbuilder';
import { ConfigError, type Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import { refuseUnverifiedRequests } from './auth-guard.js';
import { reuseConnectorClients } from './connector-reuse.js';
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
      '!!! AUTHENTICATION IS OFF: MicrosoftAppId is not set, so /api/messages accepts requests from anyone ' +
        'who can reach this port. Fine for the Agents Playground on this machine; never expose it. !!!',
    );
    return new ConfigurationBotFrameworkAuthentication({ MicrosoftAppType: 'MultiTenant' });
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

export function createCloudAdapter(config: AuthConfig, logger: Logger): CloudAdapter {
  const adapter = new CloudAdapter(reuseConnectorClients(createAuthentication(config, logger)));
  installTurnErrorHandler(adapter, logger);
  return adapter;
}

/** Same error handling for any adapter (the TestAdapter in flow tests). */
export function installTurnErrorHandler(adapter: BotAdapter, logger: Logger): void {
  adapter.onTurnError = turnErrorHandler(logger);
}

import { startBotOverHttp, type BotOverHttp } from '../kit/bot.js';

export type HttpBot = BotOverHttp;

/**
 * The real thing on loopback (test/kit/bot.ts): restify server, CloudAdapter (authentication off unless
 * `env` sets an app id), middleware and bot on a test database, replying to a loopback Bot Connector.
 */
export function startHttpBot(
  options: { env?: Record<string, string>; logLevel?: string } = {},
): Promise<HttpBot> {
  return startBotOverHttp(options);
}

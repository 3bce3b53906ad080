/**
 * The baseline for `npm run load -- --saturation`: an echo bot behind the same server, turn gate and
 * CloudAdapter as the Coupling Assistant (authentication off, loopback only), with no store and no
 * commands. What it sustains is the ceiling of the stack the bot runs on; not for production.
 *   PORT=3979 tsx scripts/echo-bot.ts
 */
import type { TurnContext } from 'botbuilder';
import { createCloudAdapter } from '../bot/adapter.js';
import { createBotServer } from '../bot/server.js';
import { loadConfigOrExit } from '../core/config.js';
import { createLogger } from '../core/logger.js';

const config = loadConfigOrExit();
const logger = createLogger(config.LOG_LEVEL);
const adapter = createCloudAdapter(config, logger);
const server = createBotServer({
  adapter,
  logic: async (context: TurnContext) => void (await context.sendActivity(`echo: ${context.activity.text}`)),
  ping: () => Promise.resolve(true),
  logger,
  port: config.PORT,
  host: '127.0.0.1',
});
const { url } = await server.start();
logger.info({ url }, 'echo bot listening');
const stop = () => void server.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

import { createCloudAdapter } from '../../bot/adapter.js';
import { composeBot, type ComposedBot } from '../../bot/composition/compose-bot.js';
import { createBotServer } from '../../bot/server.js';
import { loadConfig } from '../../core/config.js';
import { startLoopbackConnector, type LoopbackConnector } from '../support/loopback-connector.js';
import { useTestDb, type TestDb } from '../support/test-mongo.js';
import { captureLogs } from './log-capture.js';
import { ADA } from './teams-activity.js';

export interface HttpBot {
  /** http://127.0.0.1:<port>/api/messages */
  url: string;
  port: number;
  bot: ComposedBot;
  db: TestDb;
  connector: LoopbackConnector;
  logs: ReturnType<typeof captureLogs>['lines'];
  post(body: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The real thing on loopback: restify server, CloudAdapter (authentication off unless `env` sets an
 * app id), middleware and bot on a test database, replying to a loopback Bot Connector.
 */
export async function startHttpBot(
  options: { env?: Record<string, string>; logLevel?: string } = {},
): Promise<HttpBot> {
  const db = await useTestDb();
  const capture = captureLogs(options.logLevel ?? 'info');
  const config = loadConfig({
    NODE_ENV: 'test',
    MANAGER_AAD_OBJECT_IDS: ADA.aadObjectId,
    RATE_LIMIT_PER_MINUTE: '0',
    ...options.env,
  });
  const bot = composeBot({ config, logger: capture.logger, db: db.db });
  await bot.seed();
  const adapter = createCloudAdapter(config, capture.logger);
  for (const m of bot.middleware) adapter.use(m);
  const server = createBotServer({
    adapter,
    logic: bot.logic,
    ping: async () => true,
    logger: capture.logger,
    port: 0,
    host: '127.0.0.1',
  });
  const { url, port } = await server.start();
  const connector = await startLoopbackConnector();
  return {
    url,
    port,
    bot,
    db,
    connector,
    logs: capture.lines,
    post: (body, headers = {}) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }),
    async close() {
      await server.stop(1_000);
      await connector.close();
      await db.cleanup();
    },
  };
}

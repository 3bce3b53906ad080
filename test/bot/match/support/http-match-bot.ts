import { createCloudAdapter } from '../../../../bot/adapter.js';
import { composeBot, type ComposedBot } from '../../../../bot/composition/compose-bot.js';
import { proactiveVia } from '../../../../bot/notifications/proactive.js';
import { createBotServer } from '../../../../bot/server.js';
import { loadConfig } from '../../../../core/config.js';
import { startLoopbackConnector, type LoopbackConnector } from '../../../support/loopback-connector.js';
import { useTestDb, type TestDb } from '../../../support/test-mongo.js';
import { captureLogs } from '../../log-capture.js';

export interface HttpMatchBot {
  bot: ComposedBot;
  db: TestDb;
  connector: LoopbackConnector;
  logs: ReturnType<typeof captureLogs>['lines'];
  /** POSTs an activity to /api/messages; returns the HTTP status and JSON body (an invoke's answer). */
  post(activity: unknown): Promise<{ status: number; body: unknown }>;
  /** Every follow-up (manager copies, card updates, synchronization) has finished. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real thing on loopback, as main.ts wires it: restify server, CloudAdapter (authentication off),
 * proactive messages through the adapter, replies and card updates landing on a loopback Bot Connector.
 */
export async function startHttpMatchBot(env: Record<string, string>): Promise<HttpMatchBot> {
  const db = await useTestDb();
  const capture = captureLogs('info');
  const config = loadConfig({ NODE_ENV: 'test', RATE_LIMIT_PER_MINUTE: '0', ...env });
  const adapter = createCloudAdapter(config, capture.logger);
  const proactive = proactiveVia(adapter, config.MicrosoftAppId);
  const bot = composeBot({ config, logger: capture.logger, db: db.db, proactive });
  await bot.seed();
  for (const m of bot.middleware) adapter.use(m);
  const server = createBotServer({
    adapter,
    logic: bot.logic,
    ping: async () => true,
    logger: capture.logger,
    port: 0,
    host: '127.0.0.1',
    background: bot.background,
  });
  const { url } = await server.start();
  const connector = await startLoopbackConnector();
  return {
    bot,
    db,
    connector,
    logs: capture.lines,
    async post(activity) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    },
    idle: () => bot.background.idle(),
    async close() {
      await server.stop(1_000);
      await bot.runtime.stop();
      await connector.close();
      await db.cleanup();
    },
  };
}

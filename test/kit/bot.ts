import { createCloudAdapter } from '../../bot/adapter.js';
import { composeBot, type ComposedBot, type ComposeOptions } from '../../bot/composition/compose-bot.js';
import { proactiveVia } from '../../bot/notifications/proactive.js';
import { createBotServer, type BotServer } from '../../bot/server.js';
import { loadConfig, type Config } from '../../core/config.js';
import type { Clock } from '../../core/ports/clock.js';
import { ensureIndexes } from '../../core/store/indexes.js';
import { captureLogs } from '../bot/log-capture.js';
import { ADA } from '../bot/teams-activity.js';
import { startLoopbackConnector, type LoopbackConnector } from '../support/loopback-connector.js';
import { useTestDb, type TestDb } from '../support/test-mongo.js';

export interface BootOptions {
  /** Settings over the test defaults: NODE_ENV test, Ada a manager, no rate limit, debug logs. */
  env?: Record<string, string>;
  clock?: Clock;
  /** Level of the captured logs; `debug` unless said. */
  logLevel?: string;
  /** Logs into this capture instead of a new one (a suite that scans everything printed). */
  capture?: ReturnType<typeof captureLogs>;
  /** What the composition root takes from a test: the HTTP connectors' fetch and retry, telemetry, proactive. */
  compose?: Pick<
    ComposeOptions,
    | 'fetch'
    | 'httpRetry'
    | 'telemetry'
    | 'proactive'
    | 'cardSealSecret'
    | 'roster'
    | 'progress'
    | 'syncBatchSize'
    | 'matchStoredPageSize'
  >;
  /** Create the store's collections and indexes first, as opening the store does in production. */
  indexes?: boolean;
}

export interface BootedBot {
  config: Config;
  bot: ComposedBot;
  db: TestDb;
  capture: ReturnType<typeof captureLogs>;
}

/**
 * THE way a test starts the bot: the composition root's composeBot, as `npm start` runs it, on a
 * throw-away database, with the default mappings (and the sandbox's demo data) seeded. The in-process
 * harnesses put it on a botbuilder TestAdapter; `startBotOverHttp` puts it behind the real server.
 */
export async function bootBot(options: BootOptions = {}): Promise<BootedBot> {
  const db = await useTestDb();
  if (options.indexes) await ensureIndexes(db.db);
  const capture = options.capture ?? captureLogs(options.logLevel ?? 'debug');
  const config = loadConfig({
    NODE_ENV: 'test',
    MANAGER_AAD_OBJECT_IDS: ADA.aadObjectId,
    RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: options.logLevel ?? 'debug',
    ...options.env,
  });
  const bot = composeBot({
    config,
    logger: capture.logger,
    db: db.db,
    ...(options.clock ? { clock: options.clock } : {}),
    ...options.compose,
  });
  await bot.seed();
  return { config, bot, db, capture };
}

export interface BotOverHttp {
  /** http://127.0.0.1:<port>/api/messages */
  url: string;
  port: number;
  /** The real server: `server.stop(ms)` is the SIGTERM drain. */
  server: BotServer;
  bot: ComposedBot;
  db: TestDb;
  connector: LoopbackConnector;
  logs: ReturnType<typeof captureLogs>['lines'];
  post(body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Every background job and follow-up has finished. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The bot over HTTP on loopback, wired as the composition root wires it: restify server, CloudAdapter
 * (authentication off unless `env` sets an app id), middleware, the server's drain waiting for
 * background work; replies land on a loopback Bot Connector. With `proactive`, cards are also updated
 * out of turn through the adapter, as in production.
 */
export async function startBotOverHttp(
  options: Omit<BootOptions, 'compose'> & { proactive?: boolean } = {},
): Promise<BotOverHttp> {
  const late: { adapter?: ReturnType<typeof createCloudAdapter> } = {};
  const booted = await bootBot({
    ...options,
    logLevel: options.logLevel ?? 'info',
    // The adapter needs the config, made by bootBot: by the time a card is updated, it exists.
    ...(options.proactive
      ? {
          compose: {
            proactive: (reference, logic) =>
              proactiveVia(late.adapter!, booted.config.MicrosoftAppId)(reference, logic),
          },
        }
      : {}),
  });
  const { bot, config, capture } = booted;
  const adapter = createCloudAdapter(config, capture.logger);
  late.adapter = adapter;
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
  const { url, port } = await server.start();
  const connector = await startLoopbackConnector();
  return {
    url,
    port,
    server,
    bot,
    db: booted.db,
    connector,
    logs: capture.lines,
    post: (body, headers = {}) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }),
    idle: () => bot.background.idle(),
    async close() {
      await server.stop(1_000);
      await bot.runtime.stop();
      await connector.close();
      await booted.db.cleanup();
    },
  };
}

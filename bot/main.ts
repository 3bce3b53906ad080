import { ConfigError, loadConfigOrExit, type Config } from '../core/config.js';
import { isDomainError } from '../core/errors.js';
import { createLogger, type Logger } from '../core/logger.js';
import { openStore, type Store } from '../core/store/open-store.js';
import { loadOrCreateSecret } from '../core/store/secrets.js';
import { createCloudAdapter } from './adapter.js';
import { composeBot, type ComposedBot } from './compose.js';
import { bindHosts } from './local-only.js';
import { proactiveVia } from './notifications/proactive.js';
import { createBotServer, type BotServer } from './server.js';

/**
 * `npm start`: the composition root. Config → logger → store → services and bot → HTTP server →
 * scheduled synchronization; on SIGTERM/SIGINT, drain in-flight turns and background jobs, stop the
 * schedule, close the store, exit 0. Start-up problems print one line.
 */
interface Running {
  server: BotServer;
  store: Store;
  runtime: ComposedBot['runtime'];
}

async function start(config: Config, logger: Logger): Promise<Running> {
  const store = await openStore({
    config,
    logger,
    serverSelectionTimeoutMS: config.MONGODB_SERVER_SELECTION_TIMEOUT_MS,
  });
  try {
    const adapter = createCloudAdapter(config, logger);
    const proactive = proactiveVia(adapter, config.MicrosoftAppId);
    const cardSealSecret = await loadOrCreateSecret(store.db, 'card-seal');
    const bot = composeBot({ config, logger, db: store.db, proactive, cardSealSecret });
    const seeded = await bot.seed();
    if (seeded.mappings.length > 0)
      logger.info({ mappings: seeded.mappings }, 'default table mappings created');
    if (seeded.sandboxSeeded) logger.info('sandbox seeded with CRONUS demo data');
    for (const m of bot.middleware) adapter.use(m);
    const server = createBotServer({
      adapter,
      logic: bot.logic,
      ping: () => store.ping(),
      logger,
      port: config.PORT,
      host: bindHosts(config, logger),
      overload: {
        maxQueued: config.MAX_QUEUED_TURNS,
        maxPerConversation: config.MAX_TURNS_PER_CONVERSATION,
      },
      background: bot.background,
    });
    const { url } = await server.start();
    logger.info(
      { url, health: url.replace('/api/messages', '/healthz') },
      `Coupling Assistant listening on ${url}`,
    );
    // Jobs left Running by a stopped instance become Interrupted; then the schedule starts.
    await bot.runtime.start();
    return { server, store, runtime: bot.runtime };
  } catch (e) {
    await store.close().catch(() => undefined);
    throw e;
  }
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.LOG_LEVEL);
  let running: Running;
  try {
    running = await start(config, logger);
  } catch (e) {
    // Expected start-up problems (bad settings, unreachable store, port in use) are one clear line.
    const known =
      e instanceof ConfigError || isDomainError(e) || (e as { code?: string }).code === 'EADDRINUSE';
    if (!known) throw e;
    const message =
      (e as { code?: string }).code === 'EADDRINUSE'
        ? `Port ${config.PORT} is in use; set PORT to a free port.`
        : (e as Error).message;
    console.error(message);
    process.exit(1);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: draining in-flight turns and background jobs');
    await running.server.stop();
    await running.runtime.stop();
    await running.store.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((e: unknown) => {
  console.error('Coupling Assistant could not start:', e);
  process.exit(1);
});

import { ConfigError, loadConfigOrExit, type Config } from '../../core/config.js';
import { isDomainError } from '../../core/errors.js';
import { createLogger, type Logger } from '../../core/logger.js';
import { openStore, type Store } from './open-store.js';
import { loadOrCreateSecret } from '../../core/store/secrets.js';
import { createCloudAdapter } from '../adapter.js';
import { composeBot, type ComposedBot } from './compose-bot.js';
import { proactiveVia } from '../notifications/proactive.js';
import { bindHosts } from '../local-only.js';
import { createBotServer, type BotServer } from '../server.js';
import { startTelemetry, type RunningTelemetry } from './telemetry/start-telemetry.js';

/**
 * The composition root's start (bot/main.ts calls it): config → logger → store → connectors, core
 * services and bot → HTTP server → scheduled synchronization; on SIGTERM/SIGINT, drain in-flight turns
 * and background jobs, stop the schedule, close the store, exit 0. Start-up problems print one line.
 */
interface Running {
  server: BotServer;
  store: Store;
  runtime: ComposedBot['runtime'];
  telemetry: RunningTelemetry;
}

async function start(config: Config, logger: Logger): Promise<Running> {
  const telemetry = await startTelemetry(config, logger);
  if (telemetry.exporters.length > 0) logger.info({ exporters: telemetry.exporters }, 'telemetry on');
  const store = await openStore({
    config,
    logger,
    serverSelectionTimeoutMS: config.MONGODB_SERVER_SELECTION_TIMEOUT_MS,
  });
  try {
    const adapter = createCloudAdapter(config, logger);
    const proactive = proactiveVia(adapter, config.MicrosoftAppId);
    const cardSealSecret = await loadOrCreateSecret(store.db, 'card-seal');
    const bot = composeBot({
      config,
      logger,
      db: store.db,
      proactive,
      cardSealSecret,
      telemetry: telemetry.telemetry,
    });
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
      metrics: telemetry.metrics,
    });
    const { url } = await server.start();
    logger.info(
      { url, health: url.replace('/api/messages', '/healthz') },
      `Coupling Assistant listening on ${url}`,
    );
    // Jobs left Running by a stopped instance become Interrupted; then the schedule starts.
    await bot.runtime.start();
    return { server, store, runtime: bot.runtime, telemetry };
  } catch (e) {
    await store.close().catch(() => undefined);
    await telemetry.shutdown();
    throw e;
  }
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.LOG_LEVEL, undefined, {
    format: config.LOG_FORMAT,
    nodeEnv: config.NODE_ENV,
  });
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
    await running.telemetry.shutdown();
    logger.info('stopped');
    process.exit(0);
  };
  // A shutdown step that fails is logged and the process still ends, with 1 instead of 0.
  const stopOn = (signal: string) => () => {
    stop(signal).catch((err: unknown) => {
      logger.error({ err, signal }, 'stopping failed');
      process.exit(1);
    });
  };
  process.on('SIGTERM', stopOn('SIGTERM'));
  process.on('SIGINT', stopOn('SIGINT'));
}

/** Runs the bot until a signal stops it; an unexpected start-up failure exits 1 with its stack. */
export function run(): Promise<void> {
  return main().catch((e: unknown) => {
    console.error('Coupling Assistant could not start:', e);
    process.exit(1);
  });
}

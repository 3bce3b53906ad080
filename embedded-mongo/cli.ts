/**
 * Runs embedded-mongo on its own so mongosh, Compass or scripts can connect:
 *   npm run db -- --port 27017 --dbpath ./.data/mongo
 */
import path from 'node:path';
import { loadConfig } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import { parseCli, usageError, wholeNumber } from '../scripts/cli-args.js';
import { startEmbeddedMongo } from './index.js';

const CLI = {
  usage: `usage: npm run db -- [--port <0-65535>] [--dbpath <directory>]

Runs the embedded MongoDB-compatible server alone (loopback only), for mongosh, Compass or scripts.
  --port    TCP port on 127.0.0.1 (default 27017; 0 picks a free one)
  --dbpath  where the data lives (default $DATA_DIR/mongo, i.e. ./.data/mongo)`,
  options: { port: { type: 'string' }, dbpath: { type: 'string' } },
} as const;

/** Flags first, so `--help` and a bad flag answer before anything reads the environment or the disk. */
function parse(): { port: number; dbpath?: string } {
  const { values } = parseCli(CLI);
  try {
    return { port: wholeNumber('port', values.port, 27017, 0, 65535), dbpath: values.dbpath };
  } catch (err) {
    return usageError(CLI, err);
  }
}

async function main(): Promise<void> {
  const flags = parse();
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const args = {
    port: flags.port,
    dbPath: path.resolve(flags.dbpath ?? path.join(config.DATA_DIR, 'mongo')),
  };
  const server = await startEmbeddedMongo({ ...args, logger });
  console.log(`embedded-mongo listening: ${server.uri} (data in ${args.dbPath})`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'embedded-mongo stopping');
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'embedded-mongo failed to stop cleanly');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(`embedded-mongo: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

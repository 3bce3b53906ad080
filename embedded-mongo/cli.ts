/**
 * Runs embedded-mongo on its own so mongosh, Compass or scripts can connect:
 *   npm run db -- --port 27017 --dbpath ./.data/mongo
 * or repairs a journal that start-up refused (a corrupt record followed by valid ones):
 *   npm run db -- --repair [--dbpath ./.data/mongo]
 */
import path from 'node:path';
import { loadConfig } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import { parseCli, usageError, wholeNumber } from '../scripts/cli-args.js';
import { startEmbeddedMongo } from './index.js';
import { repairJournals } from './storage/persistence.js';

const CLI = {
  usage: `usage: npm run db -- [--port <0-65535>] [--dbpath <directory>] [--repair]

Runs the embedded MongoDB-compatible server alone (loopback only), for mongosh, Compass or scripts.
  --port    TCP port on 127.0.0.1 (default 27017; 0 picks a free one)
  --dbpath  where the data lives (default $DATA_DIR/mongo, i.e. ./.data/mongo)
  --repair  cut each damaged journal at its first corrupt record (a copy is kept), then exit`,
  options: { port: { type: 'string' }, dbpath: { type: 'string' }, repair: { type: 'boolean' } },
} as const;

/** Flags first, so `--help` and a bad flag answer before anything reads the environment or the disk. */
function parse(): { port: number; dbpath?: string; repair: boolean } {
  const { values } = parseCli(CLI);
  try {
    return {
      port: wholeNumber('port', values.port, 27017, 0, 65535),
      dbpath: values.dbpath,
      repair: values.repair === true,
    };
  } catch (err) {
    return usageError(CLI, err);
  }
}

/** Cuts each damaged journal at its first corrupt record, keeping a copy; says what it did. */
async function repair(dbPath: string): Promise<void> {
  const repaired = await repairJournals(dbPath);
  if (repaired.length === 0) console.log(`embedded-mongo: nothing to repair in ${dbPath}`);
  for (const r of repaired) {
    console.log(
      `embedded-mongo: ${r.file} cut at byte ${r.offset} (${r.droppedBytes} bytes dropped); ` +
        `the whole journal was kept in ${r.backup}`,
    );
  }
}

async function main(): Promise<void> {
  const flags = parse();
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL, undefined, {
    format: config.LOG_FORMAT,
    nodeEnv: config.NODE_ENV,
  });
  const dbPath = path.resolve(flags.dbpath ?? path.join(config.DATA_DIR, 'mongo'));
  if (flags.repair) return repair(dbPath);
  const server = await startEmbeddedMongo({ port: flags.port, dbPath, logger });
  console.log(`embedded-mongo listening: ${server.uri} (data in ${dbPath})`);
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

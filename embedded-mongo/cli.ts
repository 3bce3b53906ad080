/**
 * Runs embedded-mongo on its own so mongosh, Compass or scripts can connect:
 *   npm run db -- --port 27017 --dbpath ./.data/mongo
 * or repairs a journal that start-up refused (a corrupt record followed by valid ones):
 *   npm run db -- --repair [--dbpath ./.data/mongo]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import { startEmbeddedMongo } from './index.js';
import { repairJournals } from './storage/persistence.js';

const USAGE = 'usage: npm run db -- [--port <0-65535>] [--dbpath <directory>] [--repair]';

function parse(config: { DATA_DIR: string }): { port: number; dbPath: string; repair: boolean } {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      dbpath: { type: 'string' },
      repair: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const port = values.port === undefined ? 27017 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port: expected a whole number from 0 to 65535, got "${values.port}"`);
  }
  return {
    port,
    dbPath: path.resolve(values.dbpath ?? path.join(config.DATA_DIR, 'mongo')),
    repair: values.repair === true,
  };
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
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  let args;
  try {
    args = parse(config);
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (args.repair) return repair(args.dbPath);
  const server = await startEmbeddedMongo({ port: args.port, dbPath: args.dbPath, logger });
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

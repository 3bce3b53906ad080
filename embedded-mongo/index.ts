import { mkdir } from 'node:fs/promises';
import type { Logger } from 'pino';
import { listen } from './server.js';
import { Engine } from './storage/engine.js';
import type { JournalIo } from './storage/journal.js';
import { Persistence } from './storage/persistence.js';
import { startTtlMonitor } from './storage/ttl.js';

export interface EmbeddedMongoOptions {
  /** Directory holding the data files (snapshot, journal, lock); created when missing. */
  dbPath: string;
  /** TCP port on 127.0.0.1; 0 or undefined picks a free one. */
  port?: number;
  logger?: Logger;
  /** Journal size that triggers a snapshot + compaction (default 64 MiB). */
  compactBytes?: number;
  /** How often TTL indexes are applied (default 60 s, like mongod). */
  ttlMonitorMs?: number;
  /** How long the data directory lease lasts unrenewed (default 10 s): another process takes over after. */
  leaseMs?: number;
  /** Journal file operations; tests inject a failing write or fsync. */
  journalIo?: JournalIo;
}

export interface EmbeddedMongo {
  uri: string;
  port: number;
  dbPath: string;
  stop(): Promise<void>;
}

/**
 * Starts a MongoDB-wire-compatible server on loopback, for development, tests and demos: recovers the
 * data under dbPath (refusing a dbPath another live process holds), then accepts driver connections.
 */
export async function startEmbeddedMongo(opts: EmbeddedMongoOptions): Promise<EmbeddedMongo> {
  await mkdir(opts.dbPath, { recursive: true });
  const engine = new Engine();
  const store = await Persistence.open(opts.dbPath, engine, opts.compactBytes, opts.logger, {
    leaseMs: opts.leaseMs,
    io: opts.journalIo,
  });
  let server;
  try {
    server = await listen(engine, opts.port ?? 0, opts.logger, () => store.maybeCompact());
  } catch (err) {
    await store.close();
    throw err;
  }
  const stopTtl = startTtlMonitor(engine, opts.ttlMonitorMs ?? 60_000, (err) =>
    opts.logger?.error({ err }, 'embedded-mongo TTL expiry failed'),
  );
  const uri = `mongodb://127.0.0.1:${server.port}/?directConnection=true`;
  opts.logger?.info({ port: server.port, dbPath: opts.dbPath }, 'embedded-mongo listening');
  let stopping: Promise<void> | undefined;
  return {
    uri,
    port: server.port,
    dbPath: opts.dbPath,
    stop: () =>
      (stopping ??= (async () => {
        stopTtl();
        await server.close();
        await store.close();
      })()),
  };
}

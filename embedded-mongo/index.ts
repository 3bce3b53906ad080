import { mkdir } from 'node:fs/promises';
import type { Logger } from 'pino';
import { listen } from './server.js';
import { Engine } from './storage/engine.js';

export interface EmbeddedMongoOptions {
  /** Directory holding the data files; created when missing. */
  dbPath: string;
  /** TCP port on 127.0.0.1; 0 or undefined picks a free one. */
  port?: number;
  logger?: Logger;
}

export interface EmbeddedMongo {
  uri: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts a MongoDB-wire-compatible server on loopback, for development, tests and demos. */
export async function startEmbeddedMongo(opts: EmbeddedMongoOptions): Promise<EmbeddedMongo> {
  await mkdir(opts.dbPath, { recursive: true });
  const engine = new Engine();
  const server = await listen(engine, opts.port ?? 0, opts.logger);
  const uri = `mongodb://127.0.0.1:${server.port}/?directConnection=true`;
  opts.logger?.info({ port: server.port, dbPath: opts.dbPath }, 'embedded-mongo listening');
  return {
    uri,
    port: server.port,
    stop: () => server.close(),
  };
}

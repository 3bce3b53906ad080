import path from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { maskUri, type Config } from '../../core/config.js';
import { DomainError, ErrorCode } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { ensureIndexes } from '../../core/store/indexes.js';

export interface Store {
  client: MongoClient;
  db: Db;
  /** The connection string with its secrets masked: safe for logs and error messages. */
  uri: string;
  /** True when this store started the embedded server (MONGODB_URI unset). */
  embedded: boolean;
  /** Answers within ~2 s whether the database responds (for /healthz). */
  ping(): Promise<boolean>;
  /** Closes the connection and stops the embedded server if this store started it. Idempotent. */
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  config: Pick<Config, 'MONGODB_URI' | 'MONGODB_DB' | 'DATA_DIR'>;
  logger: Logger;
  /** How long to look for a reachable server before giving up; tests use less. */
  serverSelectionTimeoutMS?: number;
  /** Create collections and indexes (default true); false for tools that only read. */
  ensureIndexes?: boolean;
}

interface Embedded {
  uri: string;
  stop(): Promise<void>;
}

const PING_TIMEOUT_MS = 2_000;

/** Masks the password and any secret-looking query option, e.g. ?tlsCertificateKeyFilePassword=… */
export function maskConnectionString(uri: string): string {
  return maskUri(uri).replace(/([?&][^=&]*(?:password|secret|token)[^=&]*=)[^&]*/gi, '$1****');
}

/** The driver's own words, minus the password should it echo part of the connection string. */
function reasonOf(e: unknown, uri: string): string {
  let text = e instanceof Error ? e.message : String(e);
  const password = /^[a-z+]+:\/\/[^:/@]+:([^@]+)@/i.exec(uri)?.[1];
  if (password) {
    for (const form of new Set([password, safeDecode(password)])) text = text.split(form).join('****');
  }
  return text.split('\n')[0] ?? text;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const unavailable = (message: string, cause: unknown) =>
  new DomainError(ErrorCode.StoreUnavailable, message, { cause });

async function startEmbedded(dataDir: string, logger: Logger): Promise<Embedded> {
  const dbPath = path.join(dataDir, 'mongo');
  try {
    // Loaded only when needed: a deployment with MONGODB_URI never loads the embedded server.
    const { startEmbeddedMongo } = await import('../../embedded-mongo/index.js');
    return await startEmbeddedMongo({ dbPath, logger: logger.child({ component: 'embedded-mongo' }) });
  } catch (e) {
    throw unavailable(
      `Could not start the embedded database in ${dbPath} (${reasonOf(e, '')}). Check that DATA_DIR is ` +
        'writable and that no other Coupling Assistant process uses it, or set MONGODB_URI to a MongoDB server.',
      e,
    );
  }
}

function createClient(uri: string, masked: string, timeoutMS: number): MongoClient {
  try {
    return new MongoClient(uri, {
      serverSelectionTimeoutMS: timeoutMS,
      connectTimeoutMS: timeoutMS,
      appName: 'coupling-assistant',
    });
  } catch (e) {
    throw unavailable(
      `MONGODB_URI (${masked}) is not a valid MongoDB connection string: ${reasonOf(e, uri)}. Expected ` +
        'mongodb://user:password@host:27017/?options or mongodb+srv://user:password@cluster.example.net/ ' +
        '(percent-encode @ : / ? # [ ] % in the user name and password).',
      e,
    );
  }
}

async function connect(client: MongoClient, uri: string, masked: string, timeoutMS: number): Promise<void> {
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
  } catch (e) {
    throw unavailable(
      `Cannot reach MongoDB at ${masked} within ${Math.round(timeoutMS / 100) / 10} s (${reasonOf(e, uri)}). ` +
        'Check that the server is running and reachable from here (host and port in MONGODB_URI, firewall, ' +
        'Atlas IP access list) and that the user name and password are right.',
      e,
    );
  }
}

/**
 * Opens the store: MONGODB_URI when set, otherwise an embedded server with its data in
 * `${DATA_DIR}/mongo`. Fails with ONE StoreUnavailable error saying what to check.
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const { config, logger } = options;
  const timeoutMS = options.serverSelectionTimeoutMS ?? 5_000;
  const embedded = config.MONGODB_URI ? null : await startEmbedded(config.DATA_DIR, logger);
  const uri = config.MONGODB_URI ?? embedded?.uri ?? '';
  const masked = maskConnectionString(uri);
  let client: MongoClient | undefined;
  try {
    client = createClient(uri, masked, timeoutMS);
    await connect(client, uri, masked, timeoutMS);
    const db = client.db(config.MONGODB_DB);
    if (options.ensureIndexes !== false) await ensureIndexes(db);
    logger.info({ uri: masked, db: config.MONGODB_DB, embedded: embedded !== null }, 'store ready');
    return buildStore(client, db, masked, embedded);
  } catch (e) {
    // Nothing half-open is left behind: the caller gets one error and no dangling server or socket.
    await client?.close().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    throw e;
  }
}

function buildStore(client: MongoClient, db: Db, uri: string, embedded: Embedded | null): Store {
  let closing: Promise<void> | undefined;
  return {
    client,
    db,
    uri,
    embedded: embedded !== null,
    async ping() {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
      });
      const answer = db.command({ ping: 1 }).then(
        () => true,
        () => false,
      );
      try {
        return await Promise.race([answer, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    close() {
      closing ??= (async () => {
        await client.close();
        await embedded?.stop();
      })();
      return closing;
    },
  };
}

import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedMongo } from '../../../embedded-mongo/index.js';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import { createLogger } from '../../../core/logger.js';
import { maskConnectionString, openStore } from '../../../bot/composition/open-store.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';

const logger = createLogger('silent');
let dir: string;
let t: TestDb;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'open-store-'));
  t = await useTestDb();
});
afterAll(async () => {
  await t.cleanup();
  await rm(dir, { recursive: true, force: true });
});

const config = (uri: string | undefined, dataDir = dir) => ({
  MONGODB_URI: uri,
  MONGODB_DB: `store_${Math.random().toString(36).slice(2, 10)}`,
  DATA_DIR: dataDir,
});

async function openError(uri: string | undefined, dataDir = dir): Promise<DomainError> {
  const error = await openStore({ config: config(uri, dataDir), logger, serverSelectionTimeoutMS: 400 }).then(
    async (s) => {
      await s.close();
      return null;
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(ErrorCode.StoreUnavailable);
  return error as DomainError;
}

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('openStore', () => {
  it.each([
    ['a port that is not a number', 'mongodb://app:s3cret-pw@db.example.net:port/'],
    ['an unknown option value', 'mongodb://app:s3cret-pw@db.example.net/?directConnection=maybe'],
    ['two hosts with directConnection', 'mongodb://app:s3cret-pw@a:1,b:2/?directConnection=true'],
  ])('a malformed URI (%s) gives one clear error without the password', async (_what, uri) => {
    const error = await openError(uri);
    expect(error.message).toMatch(
      /^MONGODB_URI \(mongodb:\/\/app:\*\*\*\*@.*\) is not a valid MongoDB connection string/,
    );
    expect(error.message).toContain('mongodb+srv://');
    expect(error.message).not.toContain('s3cret-pw');
  });

  it('an unreachable server gives one clear error naming the masked URI and what to check', async () => {
    const port = await closedPort();
    const error = await openError(`mongodb://app:s3cret-pw@127.0.0.1:${port}/?directConnection=true`);
    expect(error.message).toMatch(
      new RegExp(`^Cannot reach MongoDB at mongodb://app:\\*\\*\\*\\*@127\\.0\\.0\\.1:${port}/`),
    );
    expect(error.message).toMatch(/within 0\.4 s .*Check that the server is running and reachable/);
    expect(error.message).not.toContain('s3cret-pw');
  });

  it('connects to MONGODB_URI, creates the collections, answers ping, and closes twice without fuss', async () => {
    const store = await openStore({ config: config(t.uri), logger });
    try {
      expect(store.embedded).toBe(false);
      expect(await store.ping()).toBe(true);
      const names = (await store.db.listCollections().toArray()).map((c) => c.name);
      expect(names).toEqual(
        expect.arrayContaining(['mappings', 'jobs', 'audit', 'conversations', 'cardRefs']),
      );
    } finally {
      await store.close();
      await store.close();
    }
  });

  it('ping answers false once the server is gone', async () => {
    const serverDir = await mkdtemp(path.join(tmpdir(), 'open-store-gone-'));
    const server = await startEmbeddedMongo({ dbPath: serverDir });
    const store = await openStore({ config: config(server.uri), logger, serverSelectionTimeoutMS: 500 });
    try {
      expect(await store.ping()).toBe(true);
      await server.stop();
      expect(await store.ping()).toBe(false);
    } finally {
      await store.close();
      await rm(serverDir, { recursive: true, force: true });
    }
  });

  it('without MONGODB_URI starts the embedded server in DATA_DIR/mongo and stops it on close', async () => {
    const store = await openStore({ config: config(undefined), logger });
    const uri = store.uri;
    expect(store.embedded).toBe(true);
    expect(uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+/);
    expect(await store.ping()).toBe(true);
    expect((await stat(path.join(dir, 'mongo'))).isDirectory()).toBe(true);
    await store.close();
    const probe = new MongoClient(uri, { serverSelectionTimeoutMS: 300 });
    await expect(probe.connect()).rejects.toThrow();
    await probe.close();
  });

  it('the embedded data survives a restart, and a second store on the same DATA_DIR is refused clearly', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'open-store-restart-'));
    const cfg = { ...config(undefined, dataDir), MONGODB_DB: 'restart' };
    try {
      const first = await openStore({ config: cfg, logger });
      await first.db.collection('jobs').insertOne({ id: 'kept' });
      const second = await openError(undefined, dataDir);
      expect(second.message).toMatch(
        /^Could not start the embedded database in .*no other Coupling Assistant process/,
      );
      await first.close();
      const again = await openStore({ config: cfg, logger });
      expect(await again.db.collection('jobs').countDocuments({ id: 'kept' })).toBe(1);
      await again.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('an embedded server that cannot start gives one clear error about DATA_DIR', async () => {
    const file = path.join(dir, 'not-a-directory');
    await writeFile(file, 'x');
    const error = await openError(undefined, file);
    expect(error.message).toMatch(/^Could not start the embedded database in .*not-a-directory.mongo/);
    expect(error.message).toContain('Check that DATA_DIR is writable');
  });
});

describe('maskConnectionString', () => {
  it.each([
    ['mongodb://app:pw@h:27017/db', 'mongodb://app:****@h:27017/db'],
    ['mongodb+srv://app:pw@cluster.example.net/', 'mongodb+srv://app:****@cluster.example.net/'],
    [
      'mongodb://h/?tls=true&tlsCertificateKeyFilePassword=pw&w=1',
      'mongodb://h/?tls=true&tlsCertificateKeyFilePassword=****&w=1',
    ],
    ['mongodb://127.0.0.1:1/', 'mongodb://127.0.0.1:1/'],
  ])('%s → %s', (uri, masked) => {
    expect(maskConnectionString(uri)).toBe(masked);
  });
});

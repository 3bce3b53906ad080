import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient, type Db, type ObjectId } from 'mongodb';
import { startEmbeddedMongo } from '../../embedded-mongo/index.js';

export interface TestDb {
  client: MongoClient;
  db: Db;
  uri: string;
  cleanup(): Promise<void>;
}

/**
 * A fresh database for one test suite: on MONGODB_URI when set (a unique db name, dropped afterwards),
 * otherwise on an embedded-mongo started on a temporary directory that is removed afterwards.
 */
export async function useTestDb(): Promise<TestDb> {
  const external = process.env.MONGODB_URI;
  if (external) {
    const client = await new MongoClient(external).connect();
    const db = client.db(`test_${randomUUID().replaceAll('-', '').slice(0, 16)}`);
    return {
      client,
      db,
      uri: external,
      cleanup: async () => {
        await db.dropDatabase().catch(() => undefined);
        await client.close();
      },
    };
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'embedded-mongo-test-'));
  const server = await startEmbeddedMongo({ dbPath: dir, port: 0 });
  const client = await new MongoClient(server.uri).connect();
  return {
    client,
    db: client.db('test'),
    uri: server.uri,
    cleanup: async () => {
      await client.close();
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A schemaless document type for tests that use arbitrary _id values (numbers, strings). */
export interface LooseDoc {
  _id?: number | string | ObjectId;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests write arbitrary shapes
  [field: string]: any;
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { startEmbeddedMongo } from '../../embedded-mongo/index.js';

describe('embedded-mongo TTL indexes', () => {
  it('deletes documents whose indexed date is older than expireAfterSeconds, and only those', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'embedded-mongo-ttl-'));
    const server = await startEmbeddedMongo({ dbPath: dir, ttlMonitorMs: 50 });
    const client = await new MongoClient(server.uri).connect();
    try {
      const runs = client.db('t').collection<{ _id: string; at?: unknown }>('runs');
      await runs.createIndex({ at: 1 }, { expireAfterSeconds: 3600 });
      const now = Date.now();
      await runs.insertMany([
        { _id: 'old', at: new Date(now - 2 * 3600_000) },
        { _id: 'fresh', at: new Date(now) },
        { _id: 'not-a-date', at: 'yesterday' },
        { _id: 'missing' },
      ]);
      await expect
        .poll(async () => (await runs.find().toArray()).map((d) => d._id).sort(), { timeout: 5000 })
        .toEqual(['fresh', 'missing', 'not-a-date']);
    } finally {
      await client.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

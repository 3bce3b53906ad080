import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isMainThread, type Worker } from 'node:worker_threads';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedMongo } from '../../embedded-mongo/index.js';
import { LOCK_FILE } from '../../embedded-mongo/storage/lock.js';
import { startEmbeddedMongoThread, type EmbeddedMongoThreadOptions } from '../../embedded-mongo/thread.js';
import { captureLogs } from '../bot/log-capture.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'embedded-mongo-thread-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A server in a worker on a fresh dbPath, with quick restarts and its log lines captured. */
async function startThread(options: Partial<EmbeddedMongoThreadOptions> = {}) {
  const dbPath = options.dbPath ?? (await tempDir());
  const capture = captureLogs('info');
  const server = await startEmbeddedMongoThread({
    logger: capture.logger,
    restart: { backoffMs: 50, healthyMs: 60_000, maxFailures: 3 },
    ...options,
    dbPath,
  });
  cleanups.push(() => server.stop());
  const client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 10_000 });
  cleanups.push(() => client.close());
  const coll = client.db('t').collection<{ _id: number; n?: number }>('c');
  const logs = () => capture.lines().map((l) => l.msg);
  return { server, client, coll, dbPath, logs, lines: capture.lines };
}

const exitOf = (worker: Worker) => new Promise<number>((resolve) => worker.once('exit', resolve));

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What the in-process server says when it cannot start on dbPath, to compare the worker's words with. */
const inProcessError = (dbPath: string) =>
  startEmbeddedMongo({ dbPath }).then(
    (s) => s.stop().then(() => 'started'),
    (e: Error) => e.message,
  );

describe('embedded-mongo in a worker thread', () => {
  it('serves the driver from another thread: writes, reads, indexes, and logs where the caller logs', async () => {
    const { server, coll, logs } = await startThread();
    expect(server.uri).toBe(`mongodb://127.0.0.1:${server.port}/?directConnection=true`);
    expect(isMainThread).toBe(true);
    expect(server.worker()?.threadId).toBeGreaterThan(0);
    await coll.createIndex({ n: 1 }, { unique: true });
    await coll.insertMany([
      { _id: 1, n: 10 },
      { _id: 2, n: 20 },
    ]);
    await coll.updateOne({ _id: 2 }, { $inc: { n: 1 } });
    expect(await coll.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
      { _id: 1, n: 10 },
      { _id: 2, n: 21 },
    ]);
    await expect(coll.insertOne({ _id: 3, n: 10 })).rejects.toMatchObject({ code: 11000 });
    expect(logs()).toEqual(expect.arrayContaining(['recovered', 'embedded-mongo listening']));
  });

  it('keeps the data across a stop and a start on the same dbPath', async () => {
    const first = await startThread();
    await first.coll.insertOne({ _id: 1 });
    await first.client.close();
    await first.server.stop();
    const again = await startThread({ dbPath: first.dbPath });
    expect(await again.coll.countDocuments()).toBe(1);
  });

  it('refuses a second server on a dbPath this process serves, in a worker or not, with a clear message', async () => {
    const { dbPath } = await startThread();
    const message = `embedded-mongo: ${dbPath} is already open in this process`;
    await expect(startEmbeddedMongoThread({ dbPath })).rejects.toThrow(message);
    await expect(startEmbeddedMongo({ dbPath })).rejects.toThrow(message);

    const other = await tempDir();
    const inProcess = await startEmbeddedMongo({ dbPath: other });
    cleanups.push(() => inProcess.stop());
    await expect(startEmbeddedMongoThread({ dbPath: other })).rejects.toThrow(
      `embedded-mongo: ${other} is already open in this process`,
    );
  });

  it('refuses a dbPath another live process holds, with the in-process server’s words', async () => {
    const dbPath = await tempDir();
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    cleanups.push(async () => void holder.kill());
    await writeFile(path.join(dbPath, LOCK_FILE), `${holder.pid}\n`);
    const expected = await inProcessError(dbPath);
    expect(expected).toBe(
      `embedded-mongo: ${dbPath} is locked by running process ${holder.pid} (${path.join(dbPath, LOCK_FILE)})`,
    );
    await expect(startEmbeddedMongoThread({ dbPath })).rejects.toThrow(expected);
    // Refused, not half-open: once the holder is gone the same dbPath starts.
    holder.kill();
    await new Promise((resolve) => holder.once('exit', resolve));
    await startThread({ dbPath });
  });

  it('refuses a dbPath it cannot create with the same error as the in-process server', async () => {
    const file = path.join(await tempDir(), 'not-a-directory');
    await writeFile(file, 'x');
    const dbPath = path.join(file, 'mongo');
    const expected = await inProcessError(dbPath);
    expect(expected).toMatch(/ENOTDIR/);
    await expect(startEmbeddedMongoThread({ dbPath })).rejects.toMatchObject({
      message: expected,
      code: 'ENOTDIR',
    });
  });

  it('comes back on the same port after its worker is killed, with every acknowledged write, for the same client', async () => {
    const { server, coll, logs } = await startThread();
    await coll.insertMany(Array.from({ length: 100 }, (_, i) => ({ _id: i })));
    const killed = server.worker();
    // Writes in flight while the worker dies: those acknowledged must survive, the others may not.
    let acked = 0;
    const inFlight = Promise.allSettled(
      Array.from({ length: 300 }, (_, i) => coll.insertOne({ _id: 1000 + i }).then(() => acked++)),
    );
    await until('some writes are acknowledged', () => (acked >= 20 ? true : undefined));
    await killed?.terminate();
    const settled = await inFlight;
    const acknowledged = settled.flatMap((s, i) => (s.status === 'fulfilled' ? [1000 + i] : []));
    expect(acknowledged.length).toBeGreaterThanOrEqual(20);

    const restarted = await until('the worker is back', () => server.worker());
    expect(restarted.threadId).not.toBe(killed?.threadId);
    expect(await coll.countDocuments({ _id: { $lt: 1000 } })).toBe(100);
    const kept = await coll.distinct('_id', { _id: { $gte: 1000 } });
    expect(kept).toEqual(expect.arrayContaining(acknowledged));
    await coll.insertOne({ _id: 5000 });
    expect(await coll.countDocuments({ _id: 5000 })).toBe(1);
    expect(logs()).toEqual(
      expect.arrayContaining([
        'embedded-mongo worker died; restarting it on the same port',
        'embedded-mongo worker restarted',
      ]),
    );
  });

  it('restarts a worker that died of an uncaught error, and logs the error', async () => {
    const { server, coll, logs, lines } = await startThread();
    await coll.insertOne({ _id: 1 });
    const crashed = server.worker();
    // The worker reads only messages from this thread; one it cannot read throws there, uncaught.
    crashed?.postMessage(null);
    expect(await (crashed ? exitOf(crashed) : undefined)).toBe(1);
    await until('the worker is back', () => server.worker());
    expect(await coll.countDocuments({ _id: 1 })).toBe(1);
    const death = lines().find((l) => l.msg === 'embedded-mongo worker died; restarting it on the same port');
    expect(death).toMatchObject({ level: 50, exitCode: 1, err: { type: 'TypeError' } });
    expect(logs()).toContain('embedded-mongo worker restarted');
  });

  it('gives up after a few failed restarts in a row, says so, and still stops cleanly', async () => {
    const { server, logs } = await startThread({ restart: { backoffMs: 100, maxFailures: 2 } });
    const killed = server.worker();
    await killed?.terminate();
    // Someone else takes the port before the first restart: every restart fails.
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(server.port, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => squatter.close(resolve)));
    await until('it gives up', () =>
      logs().includes(
        'embedded-mongo worker keeps failing; giving up (the database stays down until the bot restarts)',
      )
        ? true
        : undefined,
    );
    expect(logs().filter((m) => m === 'embedded-mongo worker could not restart')).toHaveLength(2);
    expect(server.worker()).toBeUndefined();
    await server.stop();
  });

  it('stop() is graceful and idempotent: the worker exits, the port and the lock are released', async () => {
    const { server, coll, dbPath } = await startThread();
    await coll.insertOne({ _id: 1 });
    const worker = server.worker();
    if (!worker) throw new Error('no worker after start');
    const exited = exitOf(worker);
    await Promise.all([server.stop(), server.stop()]);
    await server.stop();
    expect(await exited).toBe(0);
    expect(server.worker()).toBeUndefined();
    expect(existsSync(path.join(dbPath, LOCK_FILE))).toBe(false);
    // A clean stop writes a snapshot (the journal is folded into it).
    expect(existsSync(path.join(dbPath, 'snapshot.bson'))).toBe(true);
    const probe = new MongoClient(server.uri, { serverSelectionTimeoutMS: 300 });
    await expect(probe.connect()).rejects.toThrow();
    await probe.close();
  });

  it('stop() during the back-off before a restart cancels the restart', async () => {
    const { server, logs } = await startThread({ restart: { backoffMs: 500 } });
    await server.worker()?.terminate();
    await until('the death is logged', () =>
      logs().includes('embedded-mongo worker died; restarting it on the same port') ? true : undefined,
    );
    await server.stop();
    await new Promise((r) => setTimeout(r, 800));
    expect(server.worker()).toBeUndefined();
    expect(logs()).not.toContain('embedded-mongo worker restarted');
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../embedded-mongo/index.js';
import { frame } from '../../embedded-mongo/storage/records.js';

const dirs: string[] = [];
const running: EmbeddedMongo[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'embedded-mongo-dur-'));
  dirs.push(dir);
  return dir;
}
async function open(dbPath: string, compactBytes?: number) {
  // A short lease: the crash test reopens a directory whose holder was killed without releasing it.
  const server = await startEmbeddedMongo({ dbPath, compactBytes, leaseMs: 3000 });
  running.push(server);
  const client = await new MongoClient(server.uri).connect();
  return {
    server,
    client,
    coll: client.db('d').collection<{ _id: number | string; [k: string]: unknown }>('c'),
  };
}
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('embedded-mongo durability', () => {
  it('keeps documents and indexes across a clean restart', async () => {
    const dir = tempDir();
    const a = await open(dir);
    await a.coll.createIndex({ email: 1 }, { unique: true });
    await a.coll.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: i, email: `u${i}@x` })));
    await a.coll.updateOne({ _id: 3 }, { $set: { email: 'changed@x' } });
    await a.coll.deleteOne({ _id: 4 });
    await a.client.close();
    await a.server.stop();

    const b = await open(dir);
    expect(await b.coll.countDocuments()).toBe(49);
    expect(await b.coll.findOne({ _id: 3 })).toEqual({ _id: 3, email: 'changed@x' });
    expect((await b.coll.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_', 'email_1']);
    await expect(b.coll.insertOne({ _id: 99, email: 'u1@x' })).rejects.toMatchObject({ code: 11000 });
    await b.client.close();
  });

  it('compacts the journal into a snapshot and still recovers everything', async () => {
    const dir = tempDir();
    const a = await open(dir, 4096);
    for (let i = 0; i < 40; i++) await a.coll.insertOne({ _id: i, pad: 'x'.repeat(200) });
    await a.coll.updateMany({}, { $set: { touched: true } });
    await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(path.join(dir, 'snapshot.bson'))).toBe(true);
    const journals = readdirSync(dir).filter((f) => f.startsWith('journal-'));
    expect(journals.length).toBeLessThanOrEqual(2);
    await a.client.close();
    await a.server.stop();
    const b = await open(dir);
    expect(await b.coll.countDocuments({ touched: true })).toBe(40);
    await b.client.close();
  });

  it('snapshots and restores documents too large to share one snapshot record', async () => {
    const dir = tempDir();
    const a = await open(dir);
    const big = 'x'.repeat(1024 * 1024);
    for (let i = 0; i < 20; i++) await a.coll.insertOne({ _id: i, big });
    await a.client.close();
    await a.server.stop();
    const b = await open(dir);
    expect(await b.coll.countDocuments()).toBe(20);
    expect((await b.coll.findOne({ _id: 19 }))?.big).toHaveLength(1024 * 1024);
    await b.client.close();
  });

  it('recovers from a journal with a torn or corrupt tail, keeping every complete record', async () => {
    const dir = tempDir();
    const records = [frame({ o: 'cc', db: 'd', c: 'c' })];
    for (let i = 0; i < 10; i++) records.push(frame({ o: 'put', db: 'd', c: 'c', d: { _id: i, v: i } }));
    const journal = path.join(dir, 'journal-0.log');
    writeFileSync(journal, Buffer.concat(records));
    truncateSync(journal, statSync(journal).size - 3);
    appendFileSync(journal, Buffer.from('garbage after the torn record'));

    const a = await open(dir);
    expect((await a.coll.find().sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8,
    ]);
    await a.coll.insertOne({ _id: 'after' });
    await a.client.close();
    await a.server.stop();
    const b = await open(dir);
    expect(await b.coll.countDocuments()).toBe(10);
    await b.client.close();
  });

  it('refuses a data directory already open in this process', async () => {
    const dir = tempDir();
    await open(dir);
    await expect(startEmbeddedMongo({ dbPath: dir })).rejects.toThrow(/already open/);
  });

  it('takes over a lock file left by an older version (a bare pid) once it is a lease period old', async () => {
    const dir = tempDir();
    const lock = path.join(dir, 'mongod.lock');
    writeFileSync(lock, `${process.pid}\n`);
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    const a = await open(dir);
    expect(await a.coll.countDocuments()).toBe(0);
    await a.client.close();
  });

  it('loses no acknowledged write when the server process is killed with SIGKILL mid-load', async () => {
    const dir = tempDir();
    const acked = new Set<string>();
    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'fixtures/crash-writer.ts'), dir, '3000'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = new Promise((r) => child.once('exit', r));
    await new Promise<void>((resolve, reject) => {
      let buffered = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) if (line.startsWith('ack ')) acked.add(line.slice(4));
        if (acked.size >= 1500) resolve();
      });
      child.once('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
    });
    child.kill('SIGKILL');
    await exited;

    const a = await open(dir);
    const coll = a.client.db('crash').collection<{ _id: string }>('docs');
    const stored = new Set((await coll.find({}, { projection: { _id: 1 } }).toArray()).map((d) => d._id));
    const missing = [...acked].filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
    expect(stored.size).toBeGreaterThanOrEqual(acked.size);
    // The unique index survived the crash too.
    const someId = [...acked][0]!;
    await expect(coll.insertOne({ _id: 'dup', payload: someId } as never)).rejects.toMatchObject({
      code: 11000,
    });
    await a.client.close();
  }, 60_000);
});

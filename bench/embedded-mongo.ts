import { cpSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { MongoClient, type Collection } from 'mongodb';
import { startEmbeddedMongo } from '../embedded-mongo/index.js';
import type { BenchRow, BenchSection } from './types.js';

/**
 * embedded-mongo through the official driver, server and client in this process, journal fsync on
 * (every acknowledged write is on disk before its reply).
 */
const DOCS = 100_000;
const INSERT_ONE_OPS = 2_000;
const FIND_SECONDS = 2;

interface BenchDoc {
  _id: number;
  key: string;
  scan: string;
  n: number;
  name: string;
  tags: string[];
}

const doc = (i: number): BenchDoc => ({
  _id: i,
  key: `k${i}`,
  scan: `k${i}`,
  n: i,
  name: `Customer ${i} Ltd.`,
  tags: ['bench', `t${i % 10}`],
});

async function opsPerSecond(seconds: number, op: (i: number) => Promise<unknown>): Promise<number> {
  const start = performance.now();
  let i = 0;
  while (performance.now() - start < seconds * 1000) await op(i++);
  return i / ((performance.now() - start) / 1000);
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

const random = (n: number) => Math.floor(Math.random() * n);

export async function run(): Promise<BenchSection> {
  const root = mkdtempSync(path.join(tmpdir(), 'embedded-mongo-bench-'));
  const dbPath = path.join(root, 'db');
  const rows: BenchRow[] = [];
  try {
    let server = await startEmbeddedMongo({ dbPath });
    let client = await new MongoClient(server.uri).connect();
    const one = client.db('bench').collection<{ i: number }>('one');
    const { ms: oneMs } = await timed(async () => {
      for (let i = 0; i < INSERT_ONE_OPS; i++) await one.insertOne({ i });
    });
    rows.push({
      metric: 'insertOne, sequential, fsync per ack',
      value: Math.round(INSERT_ONE_OPS / (oneMs / 1000)),
      unit: 'ops/s',
    });

    const coll: Collection<BenchDoc> = client.db('bench').collection<BenchDoc>('docs');
    const all = Array.from({ length: DOCS }, (_, i) => doc(i));
    const { ms: manyMs } = await timed(() => coll.insertMany(all));
    const manyRate = Math.round(DOCS / (manyMs / 1000));
    rows.push({
      metric: `insertMany ${DOCS.toLocaleString('en-US')} docs`,
      value: manyRate,
      unit: 'docs/s',
      target: '≥ 50,000',
      pass: manyRate >= 50_000,
    });

    await coll.createIndex({ key: 1 });
    const indexed = await opsPerSecond(FIND_SECONDS, () => coll.findOne({ key: `k${random(DOCS)}` }));
    const unindexed = await opsPerSecond(FIND_SECONDS, () => coll.findOne({ scan: `k${random(DOCS)}` }));
    const ratio = indexed / unindexed;
    rows.push({
      metric: 'findOne on indexed field (100k docs)',
      value: Math.round(indexed),
      unit: 'ops/s',
      target: '≥ 3,000',
      pass: indexed >= 3_000,
    });
    rows.push({
      metric: 'findOne on unindexed field (100k docs)',
      value: Math.round(unindexed),
      unit: 'ops/s',
    });
    rows.push({
      metric: 'indexed / unindexed findOne',
      value: Math.round(ratio * 10) / 10,
      unit: '×',
      target: '≥ 50×',
      pass: ratio >= 50,
    });

    // Crash image: copy the files while the server is idle (all writes acknowledged, no snapshot yet).
    const crashCopy = path.join(root, 'crash');
    cpSync(dbPath, crashCopy, { recursive: true });
    unlinkSync(path.join(crashCopy, 'mongod.lock'));

    await client.close();
    await server.stop();
    // Restart time = until the first query is answered, so deferred work cannot hide in it.
    const { ms: restartMs, value: count } = await timed(async () => {
      server = await startEmbeddedMongo({ dbPath });
      client = await new MongoClient(server.uri).connect();
      return client.db('bench').collection('docs').countDocuments();
    });
    if (count !== DOCS) throw new Error(`restart recovered ${count} docs, expected ${DOCS}`);
    rows.push({
      metric: 'restart after clean stop (snapshot, 100k docs)',
      value: Math.round(restartMs),
      unit: 'ms',
      target: '≤ 3,000',
      pass: restartMs <= 3_000,
    });
    await client.close();
    await server.stop();

    let recovered = server;
    let c2 = client;
    const { ms: crashMs, value: count2 } = await timed(async () => {
      recovered = await startEmbeddedMongo({ dbPath: crashCopy });
      c2 = await new MongoClient(recovered.uri).connect();
      return c2.db('bench').collection('docs').countDocuments();
    });
    await c2.close();
    await recovered.stop();
    if (count2 !== DOCS) throw new Error(`crash recovery found ${count2} docs, expected ${DOCS}`);
    rows.push({
      metric: 'restart after crash (journal replay, 100k docs)',
      value: Math.round(crashMs),
      unit: 'ms',
      target: '≤ 3,000',
      pass: crashMs <= 3_000,
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return {
    title: 'embedded-mongo (official driver, in-process, journal fsync on)',
    rows,
    notes: [
      'findOne rates are sequential round trips (one in flight); insertOne waits for the fsync of every write.',
      'crash restart replays the journal and writes a fresh snapshot before accepting connections.',
    ],
  };
}

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../../embedded-mongo/index.js';

const HOLDER = path.join(import.meta.dirname, '../fixtures/lease-holder.ts');
const LEASE_MS = 2_000;
const dirs: string[] = [];
const children: ChildProcess[] = [];
const running: EmbeddedMongo[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
  for (const c of children.splice(0)) {
    c.kill('SIGCONT');
    c.kill('SIGKILL');
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Another process holding the data directory, as a second container on a shared volume would. */
async function holder(dir: string): Promise<{ child: ChildProcess; uri: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, dir, String(LEASE_MS)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const uri = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /uri (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
  });
  return { child, uri };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('embedded-mongo data directory lease', () => {
  it('names its holder in the lease file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'embedded-mongo-lease-'));
    dirs.push(dir);
    const server = await startEmbeddedMongo({ dbPath: dir, leaseMs: LEASE_MS });
    running.push(server);
    const lease = JSON.parse(readFileSync(path.join(dir, 'mongod.lock'), 'utf8')) as Record<string, unknown>;
    expect(lease).toMatchObject({ host: hostname(), pid: process.pid });
    expect(lease.owner).toEqual(expect.any(String));
    expect(lease.expires).toBeGreaterThan(Date.now());
  });

  it('refuses a second process while the first renews its lease, and takes over once it lapses', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'embedded-mongo-lease-'));
    dirs.push(dir);
    const first = await holder(dir);
    const client = await new MongoClient(first.uri).connect();
    try {
      await client
        .db('d')
        .collection('c')
        .insertOne({ _id: 'from-first' } as never);

      // Longer than the lease: only the heartbeat keeps it, so this is refused on proof of life.
      await sleep(LEASE_MS * 1.5);
      await expect(startEmbeddedMongo({ dbPath: dir, leaseMs: LEASE_MS })).rejects.toThrow(
        new RegExp(`in use by process ${first.child.pid} on ${hostname()}, which renews its lease`),
      );

      // A frozen holder (a hung container) stops renewing: the lease lapses and this process takes over.
      first.child.kill('SIGSTOP');
      const started = Date.now();
      const second = await startEmbeddedMongo({ dbPath: dir, leaseMs: LEASE_MS });
      running.push(second);
      expect(Date.now() - started).toBeLessThan(LEASE_MS * 3);
      const mine = await new MongoClient(second.uri).connect();
      try {
        expect(await mine.db('d').collection('c').countDocuments()).toBe(1);
        await mine
          .db('d')
          .collection('c')
          .insertOne({ _id: 'from-second' } as never);
      } finally {
        await mine.close();
      }

      // The old holder wakes up: it has lost the lease and refuses to write into the directory.
      first.child.kill('SIGCONT');
      await expect(
        client
          .db('d')
          .collection('c')
          .insertOne({ _id: 'late-write' } as never),
      ).rejects.toThrow(/lease/);
    } finally {
      await client.close();
    }
  }, 30_000);
});

import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedMongo } from '../../../embedded-mongo/index.js';
import { frame } from '../../../embedded-mongo/storage/records.js';

const CLI = path.join(import.meta.dirname, '../../../embedded-mongo/cli.ts');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A journal of ten inserts whose fifth record has one flipped byte in its body. */
function damagedJournal(dir: string): { file: string; offset: number; size: number; bytes: Buffer } {
  const records = [frame({ o: 'cc', db: 'd', c: 'c' })];
  for (let i = 0; i < 10; i++)
    records.push(frame({ o: 'put', db: 'd', c: 'c', d: { _id: i, v: `value ${i}` } }));
  const offset = records.slice(0, 5).reduce((n, r) => n + r.length, 0);
  const buf = Buffer.concat(records);
  buf[offset + 20] = (buf[offset + 20] as number) ^ 0xff;
  const file = path.join(dir, 'journal-0.log');
  writeFileSync(file, buf);
  return { file, offset, size: buf.length, bytes: buf };
}

function runCli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'development' },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out, err })));
}

describe('embedded-mongo with a corrupt record in the middle of its journal', () => {
  it('refuses to start naming the file and offset; --repair keeps a backup and cuts there', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'embedded-mongo-corrupt-'));
    dirs.push(dir);
    const { file, offset, size, bytes } = damagedJournal(dir);

    const refusal = startEmbeddedMongo({ dbPath: dir });
    await expect(refusal).rejects.toThrow(`${file} has a corrupt record at byte offset ${offset}`);
    await expect(refusal).rejects.toThrow(/npm run db -- --repair/);
    // Refusing changed nothing: the journal is intact for whoever looks at it.
    expect(statSync(file).size).toBe(size);

    const repair = await runCli(['--repair', '--dbpath', dir]);
    expect(repair.err).toBe('');
    expect(repair.code).toBe(0);
    expect(repair.out).toContain(`${file} cut at byte ${offset}`);
    const backups = readdirSync(dir).filter((f) => f.endsWith('.bak'));
    expect(backups).toHaveLength(1);
    // The backup is the journal as it was, byte for byte; the journal keeps what preceded the damage.
    expect(readFileSync(path.join(dir, backups[0]!))).toEqual(bytes);
    expect(readFileSync(file)).toEqual(bytes.subarray(0, offset));

    const server = await startEmbeddedMongo({ dbPath: dir });
    const client = await new MongoClient(server.uri).connect();
    try {
      const docs = await client.db('d').collection('c').find().sort({ _id: 1 }).toArray();
      expect(docs.map((d) => d._id)).toEqual([0, 1, 2, 3]);
    } finally {
      await client.close();
      await server.stop();
    }
  }, 30_000);

  it('--repair leaves a healthy data directory alone', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'embedded-mongo-corrupt-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'journal-0.log'), frame({ o: 'cc', db: 'd', c: 'c' }));
    const repair = await runCli(['--repair', '--dbpath', dir]);
    expect(repair.code).toBe(0);
    expect(repair.out).toContain('nothing to repair');
    expect(readdirSync(dir).filter((f) => f.endsWith('.bak'))).toEqual([]);
  }, 30_000);
});

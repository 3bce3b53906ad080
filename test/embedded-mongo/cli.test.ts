import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';

const CLI = path.join(import.meta.dirname, '../../embedded-mongo/cli.ts');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function runCli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => out, errors: () => err };
}

describe('npm run db (embedded-mongo/cli.ts)', () => {
  it('prints the uri, serves the driver and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'embedded-mongo-cli-'));
    dirs.push(dir);
    const cli = runCli(['--port', '0', '--dbpath', dir]);
    const uri = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const m = /mongodb:\/\/\S+/.exec(cli.output());
        if (m) {
          clearInterval(timer);
          resolve(m[0]);
        }
      }, 50);
      cli.exited.then((code) => {
        clearInterval(timer);
        reject(new Error(`cli exited with ${code}: ${cli.errors()}`));
      }, reject);
    });
    const client = await new MongoClient(uri).connect();
    await client.db('x').collection('y').insertOne({ a: 1 });
    await client.close();
    expect(existsSync(path.join(dir, 'mongod.lock'))).toBe(true);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(existsSync(path.join(dir, 'mongod.lock'))).toBe(false);
  });

  it('refuses a bad --port with a clear message and exit code 2', async () => {
    const cli = runCli(['--port', 'abc']);
    expect(await cli.exited).toBe(2);
    expect(cli.errors()).toContain('--port expects a whole number from 0 to 65535, got "abc"');
  });
});

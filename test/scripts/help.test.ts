import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Every script answers `--help` with its usage and exit 0 before doing anything (no file, no server,
 * no database), and refuses an unknown flag with the usage and exit 2. Each runs as npm runs it
 * (node + tsx), in an empty working directory that must stay empty.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const SCRIPTS = [
  { npm: 'npm start', file: 'bot/main.ts' },
  { npm: 'npm run package', file: 'manifest/cli.ts' },
  { npm: 'npm run load', file: 'scripts/load.ts' },
  { npm: 'npm run bench', file: 'bench/run.ts' },
  { npm: 'npm run db', file: 'embedded-mongo/cli.ts' },
  { npm: 'npm run playground', file: 'scripts/playground.ts' },
];

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], cwd: string): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), path.join(root, file), ...args],
      {
        cwd,
        // DATA_DIR inside the empty directory: a script that touched its database would show there.
        env: {
          ...process.env,
          DATA_DIR: path.join(cwd, '.data'),
          BOT_ID: '00000000-0000-4000-8000-000000000001',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 60_000,
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(path.join(tmpdir(), 'coupling-help-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe.each(SCRIPTS)('$npm', ({ npm, file }) => {
  it('answers --help with its usage, exit 0, and leaves nothing behind', async () => {
    const ran = await run(file, ['--help'], cwd);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain(`usage: ${npm}`);
    expect(ran.stderr).toBe('');
    expect(await readdir(cwd)).toEqual([]);
  });

  it('refuses an unknown flag with the usage, exit 2', async () => {
    const ran = await run(file, ['--no-such-flag'], cwd);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain("Unknown option '--no-such-flag'");
    expect(ran.stderr).toContain(`usage: ${npm}`);
    expect(await readdir(cwd)).toEqual([]);
  });
});

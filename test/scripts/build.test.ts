import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answers200, freePort, startProcess, waitUntil } from '../support/child-process.js';

/**
 * `npm run build` output is what production runs: `node dist/bot/main.js`, no tsx, card templates
 * beside the code. Built once (tsc takes a while on a small machine) into a folder inside the
 * repository, so the compiled files resolve node_modules as dist/ does.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = path.join(root, 'test-artifacts', `build-${process.pid}`);
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'coupling-built-'));
  const built = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'scripts', 'build.ts'), '--out', out],
    { cwd: root, encoding: 'utf8', timeout: 240_000 },
  );
  if (built.status !== 0) throw new Error(`npm run build failed:\n${built.stdout}\n${built.stderr}`);
}, 250_000);

afterAll(async () => {
  await rm(out, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm run build', () => {
  it('writes the entry point and the card templates it reads at run time', () => {
    expect(existsSync(path.join(out, 'bot', 'main.js'))).toBe(true);
    expect(existsSync(path.join(out, 'cards', 'templates', 'help.json'))).toBe(true);
    expect(existsSync(path.join(out, 'test'))).toBe(false);
  });

  it('runs with plain node: /healthz answers 200 and start-up prints no warning', async () => {
    const port = await freePort();
    const bot = startProcess('node dist/bot/main.js', [path.join(out, 'bot', 'main.js')], root, {
      PATH: process.env.PATH,
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      SYNC_INTERVAL_MINUTES: '0',
    });
    try {
      await waitUntil('/healthz answered 200', bot, 60_000, answers200(`http://127.0.0.1:${port}/healthz`));
      // Only the deliberate "authentication is off" warning line; no Node deprecation warning.
      expect(bot.output()).not.toMatch(/DeprecationWarning|ExperimentalWarning|\(node:\d+\)/);
    } finally {
      await bot.stop();
    }
    expect(bot.child.exitCode).toBe(0);
  }, 90_000);
});

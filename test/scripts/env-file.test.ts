import { readFileSync } from 'node:fs';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { answers200, freePort, startProcess, waitUntil } from '../support/child-process.js';

/**
 * `npm start` reads `.env` from the folder it runs in, when there is one. The command is taken from
 * package.json as npm would run it, in a scratch folder that links the sources, so no `.env` is ever
 * written into the repository.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const startCommand = (
  JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }
).scripts.start;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'coupling-env-'));
  const sources = ['bot', 'cards', 'connectors', 'core', 'embedded-mongo', 'scripts'];
  for (const entry of [...sources, 'node_modules', 'package.json'])
    await symlink(path.join(root, entry), path.join(dir, entry));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('npm start takes its settings from .env, the environment winning over the file', async () => {
  const port = await freePort();
  await writeFile(
    path.join(dir, '.env'),
    `# a comment\nPORT=${port}\nDATA_DIR=${path.join(dir, 'data')}\nLOG_LEVEL=silent\nSYNC_INTERVAL_MINUTES=0\n`,
  );
  const [node, ...args] = startCommand.split(' ');
  expect(node).toBe('node');
  const bot = startProcess('npm start', args, dir, { PATH: process.env.PATH, LOG_LEVEL: 'warn' });
  try {
    await waitUntil(
      '/healthz on the port from .env',
      bot,
      60_000,
      answers200(`http://127.0.0.1:${port}/healthz`),
    );
    // LOG_LEVEL=warn from the environment beat the file's silent: the start-up warning is there.
    expect(bot.output()).toContain('AUTHENTICATION IS OFF');
  } finally {
    await bot.stop();
  }
});

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigOrExit } from '../core/config.js';
import { parseCli } from './cli-args.js';

/**
 * `npm run playground`: the bot and the Microsoft 365 Agents Playground together. The Playground is
 * started once /healthz answers, and Ctrl+C (or either process ending) stops both.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

async function waitForHealth(port: number, bot: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (bot.exitCode !== null)
      throw new Error(`the bot exited with code ${bot.exitCode} before it was ready`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the bot did not answer on http://127.0.0.1:${port}/healthz within ${timeoutMs / 1000} s`);
}

/**
 * The Playground's default user (Alex Wilber) is made a manager for the demo, so approvals, `uncouple
 * all` and mapping changes can be tried; a configured MANAGER_AAD_OBJECT_IDS is left as it is.
 */
const PLAYGROUND_DEFAULT_USER = '00000000-0000-0000-0000-0000000000020';
function demoManagers(): string {
  const configured = process.env.MANAGER_AAD_OBJECT_IDS?.trim();
  if (configured) return configured;
  console.log('Demo: the Playground user Alex Wilber is a manager (set MANAGER_AAD_OBJECT_IDS to change).');
  return PLAYGROUND_DEFAULT_USER;
}

const USAGE = `usage: npm run playground

Starts the bot (as npm start does, on PORT, default 3978) and, once /healthz answers, the
Microsoft 365 Agents Playground connected to it. Ctrl+C stops both. Settings come from the
environment (see .env.example); the Playground user Alex Wilber is a manager unless
MANAGER_AAD_OBJECT_IDS is set.`;

async function main(): Promise<void> {
  parseCli({ usage: USAGE, options: {} });
  const { PORT } = loadConfigOrExit();
  const children: ChildProcess[] = [];
  let stopping = false;
  const stopAll = (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    const exit = () =>
      children.every((c) => c.exitCode !== null || c.signalCode !== null) && process.exit(code);
    for (const child of children) child.once('exit', exit);
    exit();
    setTimeout(() => process.exit(code), 15_000).unref();
  };
  process.on('SIGINT', () => stopAll(0));
  process.on('SIGTERM', () => stopAll(0));

  const bot = spawn(bin('tsx'), [path.join(root, 'bot', 'main.ts')], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, MANAGER_AAD_OBJECT_IDS: demoManagers() },
  });
  children.push(bot);
  bot.once('exit', (code) => stopAll(code ?? 0));

  try {
    await waitForHealth(PORT, bot, 60_000);
  } catch (e) {
    console.error(`playground: ${e instanceof Error ? e.message : String(e)}`);
    return stopAll(1);
  }
  const endpoint = `http://localhost:${PORT}/api/messages`;
  console.log(`Bot ready on ${endpoint}; starting the Agents Playground (Ctrl+C stops both).`);
  const playground = spawn(
    bin('agentsplayground'),
    ['-e', endpoint, '-c', 'msteams', '--disable-telemetry'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  children.push(playground);
  playground.once('exit', (code) => stopAll(code ?? 0));
}

main().catch((e: unknown) => {
  console.error(`playground: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  answers200,
  freePort,
  startProcess,
  waitUntil,
  type ManagedProcess,
} from '../support/child-process.js';

/**
 * The bot as `npm start` runs it (`bot/main.ts`, embedded MongoDB on a temp DATA_DIR, sandbox
 * connectors, authentication off), a child process in its own process group: for the suites that test
 * the process itself (shutdown, outages, what it prints). Everything else boots through test/kit/bot.ts.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Only the variables the bot should see: no real MongoDB, connectors or app id leak in from the shell. */
function botEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(MONGODB_|BC_|DATAVERSE_|AZURE_|Microsoft|NODE_ENV$)/.test(k),
    ),
  );
  return { ...inherited, NODE_ENV: 'development', LOG_LEVEL: 'warn', ...overrides };
}

export interface RunningBot {
  process: ManagedProcess;
  port: number;
  /** http://127.0.0.1:<port>/api/messages */
  endpoint: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** `node --import tsx bot/main.ts` on a free port and a temp DATA_DIR; resolves once /healthz answers 200. */
export async function startBot(
  options: { env?: Record<string, string>; timeoutMs?: number; nodeArgs?: string[] } = {},
): Promise<RunningBot> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'coupling-bot-'));
  const port = await freePort();
  const env = botEnv({ PORT: String(port), DATA_DIR: dataDir, ...options.env });
  const proc = startProcess(
    'the bot',
    [...(options.nodeArgs ?? []), '--import', 'tsx', path.join(root, 'bot', 'main.ts')],
    root,
    env,
  );
  const stop = async () => {
    await proc.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntil(
      '/healthz answered 200',
      proc,
      options.timeoutMs ?? 120_000,
      answers200(`http://127.0.0.1:${port}/healthz`),
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { process: proc, port, endpoint: `http://127.0.0.1:${port}/api/messages`, dataDir, stop };
}

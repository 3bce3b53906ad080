import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBot, type RunningBot } from '../kit/process.js';
import { answers200, startProcess, waitUntil, type ManagedProcess } from './child-process.js';

/**
 * The real thing, as a newcomer runs it: the bot (`bot/main.ts`, embedded MongoDB on a temp DATA_DIR,
 * sandbox connectors, authentication off) and the Microsoft 365 Agents Playground, each a child
 * process in its own process group.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PLAYGROUND_CLI = path.join(root, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');

/** Who the Playground says is typing: a manager of the bot, in a tenant the bot allows. */
export const PLAYGROUND_USER = {
  id: 'user-id-ada',
  name: 'Ada Manager',
  aadObjectId: '0d7c6a1e-5e0b-4c1f-9a57-6c1d2e3f4a5b',
  tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
} as const;

/** The Playground insists on at least five other people in its team. */
const COLLEAGUES = ['Ben User', 'Megan Bowen', 'Adele Vance', 'Isaiah Langer', 'Patti Fernandez'];

/** The Playground's context file: our user and tenant instead of its built-in Alex Wilber. */
const playgroundConfig = () => `version: "0.1.1"
tenantId: ${PLAYGROUND_USER.tenantId}
bot:
  id: 28:coupling-assistant
  name: Coupling Assistant
currentUser:
  id: ${PLAYGROUND_USER.id}
  name: ${PLAYGROUND_USER.name}
  userPrincipleName: ada@example.com
  aadObjectId: ${PLAYGROUND_USER.aadObjectId}
  givenName: Ada
  surname: Manager
  email: ada@example.com
users:
${COLLEAGUES.map(
  (name, i) => `  - id: user-id-${i + 1}
    name: ${name}
    userPrincipleName: user${i + 1}@example.com
    aadObjectId: 00000000-0000-4000-8000-00000000002${i + 1}
    givenName: ${name.split(' ')[0]}
    surname: ${name.split(' ')[1]}
    email: user${i + 1}@example.com
`,
).join('')}personalChat:
  id: personal-chat-ada
groupChat:
  id: group-chat-id
  name: Group Chat
team:
  id: team-id
  name: My Team
  aadGroupId: 00000000-0000-0000-0000-000000000031
  channels:
    - id: channel-general-id
      name: General
`;

export interface PlaygroundStack {
  bot: RunningBot;
  playground: ManagedProcess;
  /** The Playground's web page. */
  url: string;
  stop(): Promise<void>;
}

/**
 * The bot, then the Playground pointed at it (`-c msteams`, no browser, no telemetry, logs and its
 * context file in a temp dir). The bot's user is a manager and its tenant is the only one allowed.
 */
export async function startPlaygroundStack(
  options: { env?: Record<string, string> } = {},
): Promise<PlaygroundStack> {
  const bot = await startBot({
    env: {
      MANAGER_AAD_OBJECT_IDS: PLAYGROUND_USER.aadObjectId,
      ALLOWED_TENANT_IDS: PLAYGROUND_USER.tenantId,
      ...options.env,
    },
  });
  const dir = await mkdtemp(path.join(tmpdir(), 'coupling-e2e-playground-'));
  const configPath = path.join(dir, '.m365agentsplayground.yml');
  await writeFile(configPath, playgroundConfig());
  const args = [PLAYGROUND_CLI, '-e', bot.endpoint, '-c', 'msteams', '-p', '0', '--disable-telemetry'];
  const playground = startProcess('the Agents Playground', args, dir, {
    ...process.env,
    TEAMSAPPTESTER_BROWSER: 'none',
    M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
    M365_AGENTS_PLAYGROUND_LOGFILE: path.join(dir, 'playground.log'),
  });
  const stop = async () => {
    await Promise.all([playground.stop(), bot.stop()]);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    // With -p 0 it picks a free port and prints "Listening on <port>".
    let port = 0;
    await waitUntil('the Playground listened', playground, 60_000, async () => {
      port = Number(/Listening on (\d+)/.exec(playground.output())?.[1] ?? 0);
      return port > 0;
    });
    const url = `http://127.0.0.1:${port}/`;
    await waitUntil('the Playground page answered 200', playground, 30_000, answers200(url));
    return { bot, playground, url, stop };
  } catch (e) {
    // It writes its reasons (e.g. a context file it rejects) to its log file, not to the console.
    const log = await readFile(path.join(dir, 'playground.log'), 'utf8').catch(() => '');
    await stop();
    throw log ? new Error(`${(e as Error).message}\nIts log:\n${log.slice(-3000)}`) : e;
  }
}

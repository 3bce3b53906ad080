import type { Activity } from 'botbuilder';
import { startBot, type RunningBot } from '../../kit/process.js';
import { answerText } from '../../bot/flow.js';
import { ADA, teamsExecute, teamsMessage, type TeamsUser } from '../../bot/teams-activity.js';
import type { LoopbackConnector } from '../../support/loopback-connector.js';

/**
 * `bot/main.ts` as a child process (the real server, store and shutdown), driven over HTTP with
 * Teams-shaped activities whose replies land on a loopback Bot Connector. Every log line it prints is
 * kept, parsed, for assertions.
 */
export interface RealBot {
  bot: RunningBot;
  /** The serviceUrl activities carry. */
  serviceUrl: string;
  connector: LoopbackConnector;
  /** Posts an activity; resolves with the HTTP status once the server answered. */
  post(activity: Partial<Activity>, headers?: Record<string, string>): Promise<number>;
  /** The user types `text`; returns what they read in the reply (text or card text). */
  say(text: string, user?: TeamsUser): Promise<string>;
  /** An Action.Execute click; returns the invoke response body. */
  execute(verb: string, data: Record<string, unknown>, user?: TeamsUser): Promise<InvokeBody>;
  health(): Promise<number>;
  /** Everything printed so far (stdout and stderr), as text. */
  output(): string;
  /** The JSON log lines printed so far. */
  logs(): Array<Record<string, unknown>>;
  alive(): boolean;
  stop(): Promise<void>;
}

export interface InvokeBody {
  statusCode: number;
  type: string;
  value: unknown;
}

export interface RealBotOptions {
  /** Where replies are recorded. */
  connector: LoopbackConnector;
  /** The serviceUrl put on activities: the connector's own unless a gate stands in front of it. */
  serviceUrl?: string;
  env?: Record<string, string>;
}

export async function startRealBot(options: RealBotOptions): Promise<RealBot> {
  const { connector, env = {} } = options;
  const serviceUrl = options.serviceUrl ?? connector.serviceUrl;
  const bot = await startBot({
    env: {
      LOG_LEVEL: 'info',
      MANAGER_AAD_OBJECT_IDS: ADA.aadObjectId,
      RATE_LIMIT_PER_MINUTE: '0',
      ...env,
    },
  });
  const printed: string[] = [];
  bot.process.child.stdout?.on('data', (c: Buffer) => printed.push(c.toString('utf8')));
  bot.process.child.stderr?.on('data', (c: Buffer) => printed.push(c.toString('utf8')));
  const opts = (user?: TeamsUser) => ({ serviceUrl, ...(user ? { user } : {}) });

  const post = async (activity: Partial<Activity>, headers: Record<string, string> = {}) => {
    const res = await fetch(bot.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(activity),
    });
    await res.arrayBuffer();
    return res.status;
  };

  return {
    bot,
    serviceUrl,
    connector,
    post: (activity, headers) => post(activity, headers),
    async say(text, user) {
      connector.clear();
      const status = await post(teamsMessage(text, opts(user)));
      if (status !== 200) throw new Error(`"${text}" answered HTTP ${status}`);
      return answerText(connector.messages());
    },
    async execute(verb, data, user) {
      const res = await fetch(bot.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(teamsExecute(verb, data, opts(user))),
      });
      return (await res.json()) as InvokeBody;
    },
    async health() {
      const res = await fetch(`http://127.0.0.1:${bot.port}/healthz`, { signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      return res.status;
    },
    // The start-up lines came before our listener; the process keeps its last 100 lines, so both together
    // cover everything printed.
    output: () => `${bot.process.output()}\n${printed.join('')}`,
    logs: () =>
      printed
        .join('')
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    alive: () => bot.process.child.exitCode === null && bot.process.child.signalCode === null,
    stop: () => bot.stop(),
  };
}

/** Polls `check` every 250 ms until it is true; fails after `timeoutMs` saying what did not happen. */
export async function eventually(what: string, timeoutMs: number, check: () => Promise<boolean>) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
}

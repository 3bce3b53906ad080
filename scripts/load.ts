import { setMaxListeners } from 'node:events';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Activity } from 'botbuilder';
import { teamsMessage, type TeamsUser } from '../test/bot/teams-activity.js';
import { startLoopbackConnector, type LoopbackConnector } from '../test/support/loopback-connector.js';
import { startBot, type RunningBot } from '../test/kit/process.js';
import { parseCli, usageError } from './cli-args.js';
import { commandFor, MIX, option, post } from './load-http.js';
import { runOpenLoop } from './load-open.js';
import { cpuMs, passed, printTable, summarise, type RunShape, type Sample } from './load-report.js';

/**
 * `npm run load`: many people chatting at once, loopback only. The bot runs as `npm start` would
 * (child process, embedded MongoDB on a temp DATA_DIR, sandbox data, default settings) and answers a
 * loopback Bot Connector in this process. Each conversation is one person typing one command after the
 * other (after `--think-ms`, 0 by default), all conversations at once. Bounded in count and in time;
 * exits 1 on any error, any unanswered command, or a missed p99 target.
 *
 *   npm run load -- [--conversations 50] [--commands 20] [--think-ms 0] [--max-seconds 120] [--profile <dir>]
 *
 * Open loop (scripts/load-open.ts): arrivals at a fixed rate, not waiting for answers, or the saturation
 * of the bot beside an echo bot's and the latency at half of it:
 *   npm run load -- --rate <per second> [--seconds 10]
 *   npm run load -- --saturation [--seconds 5] [--concurrency 32]
 */
const REQUEST_TIMEOUT_MS = 10_000;

interface Options extends RunShape {
  maxSeconds: number;
  /** Where to write a V8 CPU profile of the bot (open it in Chrome DevTools), if asked. */
  profileDir?: string;
}

const number = { type: 'string' } as const;
const CLI = {
  usage: `usage: npm run load -- [--conversations N] [--commands N] [--think-ms N] [--max-seconds N] [--profile <dir>]
       npm run load -- --rate <per second> [--seconds N] [--concurrency N] [--max-seconds N]
       npm run load -- --saturation [--seconds N] [--concurrency N] [--max-seconds N]

Starts the bot as npm start would (embedded database in a temp directory, sandbox data, loopback only)
and has N people chat with it at once; prints throughput, p50/p99 and errors; exits 1 on any error.
  --conversations N  people chatting at once (1-200, default 50)
  --commands N       commands each person types (1-50, default 20)
  --think-ms N       pause between a reply and the next command (0-10000, default 0)
  --max-seconds N    stop waiting after this long (default 120; open loop 300)
  --profile <dir>    write a V8 CPU profile of the bot there
Open loop: arrivals at a fixed rate, not waiting for answers (--rate 1-5000 per second, for --seconds,
default 10), or the saturation throughput beside an echo bot's (--saturation, --concurrency 1-256).`,
  options: {
    conversations: number,
    commands: number,
    'think-ms': number,
    'max-seconds': number,
    profile: { type: 'string' },
    rate: number,
    saturation: { type: 'boolean' },
    seconds: number,
    concurrency: number,
  },
} as const;

function parseOptions(argv: readonly string[]): Options {
  const profileAt = argv.indexOf('--profile');
  try {
    return {
      conversations: option(argv, 'conversations', 50, 1, 200),
      // The default rate limit is 60 a minute per person, and each conversation is one person.
      commands: option(argv, 'commands', 20, 1, 50),
      thinkMs: option(argv, 'think-ms', 0, 0, 10_000),
      maxSeconds: option(argv, 'max-seconds', 120, 1, 600),
      profileDir: profileAt < 0 ? undefined : path.resolve(argv[profileAt + 1] ?? 'load-profile'),
    };
  } catch (err) {
    return usageError(CLI, err);
  }
}

/** Every command in the mix answers with an Adaptive Card; text instead is an apology or a refusal. */
function replyProblem(connector: LoopbackConnector, activity: Partial<Activity>): string | undefined {
  const reply = connector.calls.find((c) => c.kind === 'reply' && c.replyToId === activity.id);
  if (!reply || reply.kind !== 'reply') return 'no reply reached the connector';
  const isCard = reply.activity.attachments?.[0]?.contentType === 'application/vnd.microsoft.card.adaptive';
  return isCard ? undefined : `expected a card, got: ${String(reply.activity.text ?? '').slice(0, 120)}`;
}

/** One command: POST a Teams-shaped activity, then check that its card reply reached the connector. */
async function send(
  endpoint: string,
  connector: LoopbackConnector,
  text: string,
  user: TeamsUser,
  signal: AbortSignal,
): Promise<Sample> {
  const conversationId = `a:load-${user.id}`;
  const activity = teamsMessage(text, { serviceUrl: connector.serviceUrl, user, conversationId });
  const started = performance.now();
  try {
    const status = await post(
      endpoint,
      JSON.stringify(activity),
      AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
    );
    const ms = performance.now() - started;
    if (status !== 200) return { command: text, ms, error: `HTTP ${status}` };
    return { command: text, ms, error: replyProblem(connector, activity) };
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    return { command: text, ms: performance.now() - started, error };
  }
}

async function conversation(
  i: number,
  o: Options,
  send1: (t: string, u: TeamsUser) => Promise<Sample>,
  signal: AbortSignal,
): Promise<Sample[]> {
  const pause = (ms: number) => sleep(ms, undefined, { signal }).catch(() => undefined);
  const user: TeamsUser = {
    id: `29:load-${i}`,
    name: `Load User ${i}`,
    aadObjectId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  };
  // With think time, people start at different moments rather than all in the same millisecond.
  await pause(Math.round((i * o.thinkMs) / o.conversations));
  const samples: Sample[] = [];
  for (let step = 0; step < o.commands && !signal.aborted; step++) {
    if (step > 0) await pause(o.thinkMs);
    if (!signal.aborted) samples.push(await send1(commandFor(i, step), user));
  }
  return samples;
}

async function main(): Promise<number> {
  const options = parseOptions(argv);
  const connector = await startLoopbackConnector();
  let bot: RunningBot | undefined;
  const stop = async () => {
    await bot?.stop();
    await connector.close();
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    console.log('Starting the bot (embedded MongoDB, sandbox data)…');
    bot = await startBot({
      env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
      nodeArgs: options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [],
    });
    // The bot's start is bounded by startBot; --max-seconds bounds the warm-up and the run.
    const deadline = AbortSignal.timeout(options.maxSeconds * 1000);
    setMaxListeners(0, deadline); // every request in flight listens to it: not a leak
    const endpoint = bot.endpoint;
    const send1 = (text: string, user: TeamsUser) => send(endpoint, connector, text, user, deadline);
    // Warm-up, not measured: the first of each command loads code and fills caches.
    const warmUp: TeamsUser = { id: '29:load-warm-up', name: 'Warm Up', aadObjectId: 'warm-up' };
    for (const make of MIX) await send1(make('10000'), warmUp);
    connector.clear();

    console.log(`Running ${options.conversations} conversations × ${options.commands} commands…`);
    const cpuBefore = await cpuMs(bot.process.child.pid);
    const clientBefore = process.cpuUsage();
    const started = performance.now();
    const runs = Array.from({ length: options.conversations }, (_, i) =>
      conversation(i, options, send1, deadline),
    );
    const samples = (await Promise.all(runs)).flat();
    const seconds = (performance.now() - started) / 1000;
    const client = process.cpuUsage(clientBefore);
    const cpuAfter = await cpuMs(bot.process.child.pid);
    const botCpu = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
    const clientCpu = (client.user + client.system) / 1000;

    const result = summarise(samples, seconds, options, botCpu, clientCpu);
    printTable(result);
    console.log(JSON.stringify({ load: result }));
    if (deadline.aborted) console.error(`Stopped after ${options.maxSeconds} s (--max-seconds).`);
    if (options.profileDir) console.log(`CPU profile of the bot: ${options.profileDir}/*.cpuprofile`);
    return passed(result) ? 0 : 1;
  } finally {
    await stop();
  }
}

const argv = process.argv.slice(2);
// --help and unknown flags answer here, before a bot is started.
parseCli(CLI, argv);
const open = argv.includes('--rate') || argv.includes('--saturation');
(open ? runOpenLoop(argv) : main()).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`load: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);

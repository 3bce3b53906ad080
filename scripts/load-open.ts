import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { teamsMessage, type TeamsUser } from '../test/bot/teams-activity.js';
import { answers200, freePort, startProcess, waitUntil } from '../test/support/child-process.js';
import { startLoopbackConnector, type LoopbackConnector } from '../test/support/loopback-connector.js';
import { startBot } from '../test/kit/process.js';
import { commandFor, option, post } from './load-http.js';

/**
 * `npm run load -- --rate N` and `-- --saturation`: open-loop load. Arrivals come at a fixed rate
 * whether or not earlier commands were answered (as many people do, unlike the closed loop where each
 * person waits for the answer), so an overloaded bot shows as growing latency, shed requests (503) or
 * lost commands rather than as a politely slower sender. Latency runs from each arrival's scheduled
 * time, so a sender that falls behind does not hide the wait (no coordinated omission).
 */
const REQUEST_TIMEOUT_MS = 10_000;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Goals of issue 13, checked in the bench, not in a test. */
const GOALS = { saturationVsEcho: 0.5, p99AtHalfMs: 100, shedP99Ms: 50 };

interface Target {
  name: string;
  endpoint: string;
  connector: LoopbackConnector;
}

interface Sample {
  status: number;
  ms: number;
  activityId: string;
  error?: string;
}

let nextUser = 0;
/** A new person per command: the per-person rate limit is not what this measures. */
function user(): TeamsUser {
  const n = nextUser++;
  return {
    id: `29:open-${n}`,
    name: `Open Load ${n}`,
    aadObjectId: `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`,
  };
}

async function sendOne(target: Target, i: number, scheduledAt: number, signal: AbortSignal): Promise<Sample> {
  const who = user();
  const activity = teamsMessage(commandFor(i, i >> 2), {
    serviceUrl: target.connector.serviceUrl,
    user: who,
    conversationId: `a:open-${who.id}`,
  });
  const activityId = String(activity.id);
  try {
    const status = await post(
      target.endpoint,
      JSON.stringify(activity),
      AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
    );
    return { status, ms: performance.now() - scheduledAt, activityId };
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    return { status: 0, ms: performance.now() - scheduledAt, activityId, error };
  }
}

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
};
const round = (n: number): number => Math.round(n * 10) / 10;

/** Open loop: `rate` arrivals a second for `seconds`, each sent at its time whatever came before. */
async function openLoop(target: Target, rate: number, seconds: number, signal: AbortSignal) {
  target.connector.clear();
  const count = Math.max(1, Math.round(rate * seconds));
  const interval = 1000 / rate;
  const started = performance.now();
  const inFlight: Array<Promise<Sample>> = [];
  for (let i = 0; i < count && !signal.aborted;) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) {
      await sleep(wait, undefined, { signal }).catch(() => undefined);
      continue;
    }
    // Late (the timer or this process lagged): send now, but the latency still counts from `due`.
    inFlight.push(sendOne(target, i, due, signal));
    i++;
  }
  const sentSeconds = (performance.now() - started) / 1000;
  const samples = await Promise.all(inFlight);
  const replied = new Set(target.connector.calls.flatMap((c) => (c.kind === 'reply' ? [c.replyToId] : [])));
  const accepted = samples.filter((s) => s.status === 200);
  const shed = samples.filter((s) => s.status === 503);
  const errors = samples.filter((s) => s.status !== 200 && s.status !== 503);
  return {
    target: target.name,
    offeredPerSecond: rate,
    sent: samples.length,
    sentPerSecond: round(samples.length / sentSeconds),
    accepted: accepted.length,
    p50Ms: round(
      percentile(
        accepted.map((s) => s.ms),
        50,
      ),
    ),
    p99Ms: round(
      percentile(
        accepted.map((s) => s.ms),
        99,
      ),
    ),
    shed: shed.length,
    shedP99Ms:
      shed.length === 0
        ? null
        : round(
            percentile(
              shed.map((s) => s.ms),
              99,
            ),
          ),
    errors: errors.length,
    /** Answered 200 but its reply never reached the connector. */
    lostAccepted: accepted.filter((s) => !replied.has(s.activityId)).length,
    firstErrors: errors.slice(0, 3).map((s) => s.error ?? `HTTP ${s.status}`),
  };
}
type OpenRun = Awaited<ReturnType<typeof openLoop>>;

/** Saturation throughput: `concurrency` senders back to back for `seconds`; answered 200s a second. */
async function saturation(target: Target, seconds: number, concurrency: number, signal: AbortSignal) {
  target.connector.clear();
  const end = performance.now() + seconds * 1000;
  let i = 0;
  const samples: Sample[] = [];
  const sender = async () => {
    while (performance.now() < end && !signal.aborted) {
      const n = i++;
      samples.push(await sendOne(target, n, performance.now(), signal));
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, sender));
  const elapsed = (performance.now() - started) / 1000;
  const ok = samples.filter((s) => s.status === 200);
  return {
    target: target.name,
    perSecond: round(ok.length / elapsed),
    p50Ms: round(
      percentile(
        ok.map((s) => s.ms),
        50,
      ),
    ),
    notOk: samples.length - ok.length,
  };
}
type Saturation = Awaited<ReturnType<typeof saturation>>;

async function warmUp(target: Target, signal: AbortSignal): Promise<void> {
  for (let i = 0; i < 40; i++) await sendOne(target, i, performance.now(), signal);
}

/** The echo bot (scripts/echo-bot.ts) as a child process, like the bot. */
async function startEcho(dataDir: string) {
  const port = await freePort();
  const proc = startProcess(
    'the echo bot',
    ['--import', 'tsx', path.join(root, 'scripts', 'echo-bot.ts')],
    root,
    {
      PATH: process.env.PATH,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      DATA_DIR: dataDir,
    },
  );
  try {
    await waitUntil('the echo bot answered', proc, 60_000, answers200(`http://127.0.0.1:${port}/healthz`));
  } catch (e) {
    await proc.stop();
    throw e;
  }
  return { endpoint: `http://127.0.0.1:${port}/api/messages`, stop: () => proc.stop() };
}

function printOpen(r: OpenRun): void {
  console.log(
    `${r.target} at ${r.offeredPerSecond}/s offered (${r.sentPerSecond}/s sent, ${r.sent} commands): ` +
      `${r.accepted} answered, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms; shed (503) ${r.shed}` +
      `${r.shedP99Ms === null ? '' : ` (p99 ${r.shedP99Ms} ms)`}; errors ${r.errors}; ` +
      `accepted but lost ${r.lostAccepted}`,
  );
  for (const e of r.firstErrors) console.log(`  error: ${e}`);
}

function printSaturation(echo: Saturation, bot: Saturation, half: OpenRun, over: OpenRun): void {
  const ratio = echo.perSecond > 0 ? round((bot.perSecond / echo.perSecond) * 100) / 100 : NaN;
  const verdict = (ok: boolean) => (ok ? 'pass' : 'MISSED');
  const rows: Array<[string, string]> = [
    ['echo bot saturation', `${echo.perSecond} commands/s (p50 ${echo.p50Ms} ms)`],
    ['bot saturation', `${bot.perSecond} commands/s (p50 ${bot.p50Ms} ms)`],
    [
      'bot / echo',
      `${ratio}×  (goal ≥ ${GOALS.saturationVsEcho}: ${verdict(ratio >= GOALS.saturationVsEcho)})`,
    ],
    [
      `at half saturation (${half.offeredPerSecond}/s)`,
      `p50 ${half.p50Ms} ms, p99 ${half.p99Ms} ms (goal ≤ ${GOALS.p99AtHalfMs}: ${verdict(
        half.p99Ms <= GOALS.p99AtHalfMs && half.errors === 0 && half.shed === 0,
      )}), shed ${half.shed}, errors ${half.errors}`,
    ],
    [
      `over saturation (${over.offeredPerSecond}/s)`,
      `answered ${over.accepted} (p99 ${over.p99Ms} ms), shed ${over.shed}` +
        (over.shedP99Ms === null
          ? ' (nothing shed)'
          : ` in p99 ${over.shedP99Ms} ms (goal ≤ ${GOALS.shedP99Ms}: ${verdict(over.shedP99Ms <= GOALS.shedP99Ms)})`) +
        `, errors ${over.errors}, accepted but lost ${over.lostAccepted} (goal 0: ${verdict(over.lostAccepted === 0)})`,
    ],
    [
      'machine',
      `${cpus().length} cores, load average ${loadavg()
        .map((n) => n.toFixed(1))
        .join(' / ')}; bot, echo bot and this client on the same machine`,
    ],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log('\n== Open loop: saturation beside the echo bot ==');
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
}

export async function runOpenLoop(argv: readonly string[]): Promise<number> {
  const seconds = option(argv, 'seconds', argv.includes('--saturation') ? 5 : 10, 1, 120);
  const concurrency = option(argv, 'concurrency', 32, 1, 256);
  const rate = argv.includes('--rate') ? option(argv, 'rate', 0, 1, 5000) : undefined;
  const maxSeconds = option(argv, 'max-seconds', 300, 10, 1200);
  const connector = await startLoopbackConnector();
  const echoDir = await mkdtemp(path.join(tmpdir(), 'echo-bot-'));
  const stops: Array<() => Promise<void>> = [
    () => connector.close(),
    () => rm(echoDir, { recursive: true, force: true }),
  ];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
  try {
    console.log('Starting the bot (embedded MongoDB, sandbox data)…');
    const bot = await startBot({ env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' } });
    stops.push(() => bot.stop());
    const signal = AbortSignal.timeout(maxSeconds * 1000);
    const ours: Target = { name: 'bot', endpoint: bot.endpoint, connector };
    await warmUp(ours, signal);
    if (rate !== undefined && !argv.includes('--saturation')) {
      const run = await openLoop(ours, rate, seconds, signal);
      printOpen(run);
      console.log(JSON.stringify({ loadOpen: run }));
      return run.errors === 0 && run.lostAccepted === 0 ? 0 : 1;
    }
    const echoBot = await startEcho(echoDir);
    stops.push(() => echoBot.stop());
    const echo: Target = { name: 'echo bot', endpoint: echoBot.endpoint, connector };
    await warmUp(echo, signal);
    console.log(`Saturation: ${concurrency} senders back to back, ${seconds} s each…`);
    const echoSat = await saturation(echo, seconds, concurrency, signal);
    const botSat = await saturation(ours, seconds, concurrency, signal);
    const halfRate = Math.max(1, Math.round(botSat.perSecond / 2));
    console.log(
      `Open loop at half the bot's saturation (${halfRate}/s) and at 1.5× (${Math.round(botSat.perSecond * 1.5)}/s)…`,
    );
    const half = await openLoop(ours, halfRate, seconds, signal);
    const over = await openLoop(ours, Math.max(1, Math.round(botSat.perSecond * 1.5)), seconds, signal);
    printOpen(half);
    printOpen(over);
    printSaturation(echoSat, botSat, half, over);
    console.log(JSON.stringify({ loadSaturation: { echo: echoSat, bot: botSat, half, over } }));
    return half.errors === 0 && over.lostAccepted === 0 ? 0 : 1;
  } finally {
    await stopAll();
  }
}

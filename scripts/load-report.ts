import { readFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';

/** Figures and the printed table for `npm run load` (scripts/load.ts). */
export const TARGET_P99_MS = 250;
/** Linux's USER_HZ, the unit of /proc/<pid>/stat times; 100 on every mainstream build. */
const CLOCK_TICKS_PER_SECOND = 100;

export interface Sample {
  command: string;
  ms: number;
  error?: string;
}

export interface RunShape {
  conversations: number;
  commands: number;
  thinkMs: number;
}

/** CPU time (user + system) a process has used so far, from /proc; undefined off Linux. */
export async function cpuMs(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  // Fields after the ")" that closes the command name: utime and stime are the 12th and 13th.
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (!fields) return undefined;
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
const round = (n: number): number => Math.round(n * 10) / 10;
const kindOf = (text: string): string => text.split(' ')[0] ?? text;

export type LoadResult = ReturnType<typeof summarise>;

export function summarise(
  samples: readonly Sample[],
  seconds: number,
  shape: RunShape,
  botCpuMs?: number,
  clientCpuMs?: number,
) {
  const perRequest = (ms: number | undefined) =>
    ms === undefined || samples.length === 0 ? null : round(ms / samples.length);
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const errors = samples.filter((s) => s.error);
  const kinds = [...new Set(samples.map((s) => kindOf(s.command)))];
  const byCommand = Object.fromEntries(
    kinds.map((kind) => {
      const times = samples
        .filter((s) => kindOf(s.command) === kind)
        .map((s) => s.ms)
        .sort((a, b) => a - b);
      return [
        kind,
        { count: times.length, p50: round(percentile(times, 50)), p99: round(percentile(times, 99)) },
      ];
    }),
  );
  return {
    conversations: shape.conversations,
    commandsPerConversation: shape.commands,
    thinkMs: shape.thinkMs,
    requests: samples.length,
    expected: shape.conversations * shape.commands,
    errors: errors.length,
    seconds: round(seconds),
    throughputPerSecond: round(samples.length / seconds),
    p50Ms: round(percentile(sorted, 50)),
    p90Ms: round(percentile(sorted, 90)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.at(-1) ?? NaN),
    targetP99Ms: TARGET_P99_MS,
    botCpuMsPerRequest: perRequest(botCpuMs),
    /** What this script (the 50 senders and the loopback connector) used: it shares the machine. */
    clientCpuMsPerRequest: perRequest(clientCpuMs),
    loadAverage: loadavg().map(round),
    cores: cpus().length,
    byCommand,
    firstErrors: errors.slice(0, 5).map((e) => `${e.command}: ${e.error}`),
  };
}

export const passed = (r: LoadResult): boolean =>
  r.errors === 0 && r.requests === r.expected && r.p99Ms <= r.targetP99Ms;

export function printTable(r: LoadResult): void {
  const rows: Array<[string, string]> = [
    [
      'conversations × commands',
      `${r.conversations} × ${r.commandsPerConversation} (think time ${r.thinkMs} ms)`,
    ],
    ['requests (answered / expected)', `${r.requests} / ${r.expected}`],
    ['errors', `${r.errors}${r.errors === 0 ? '' : '  ← target 0'}`],
    ['wall time', `${r.seconds} s`],
    ['throughput', `${r.throughputPerSecond} requests/s`],
    ['latency p50 / p90', `${r.p50Ms} / ${r.p90Ms} ms`],
    [
      'latency p99',
      `${r.p99Ms} ms  (target ≤ ${r.targetP99Ms}: ${r.p99Ms <= r.targetP99Ms ? 'pass' : 'MISSED'})`,
    ],
    ['latency max', `${r.maxMs} ms`],
    [
      'bot CPU per request',
      r.botCpuMsPerRequest === null
        ? 'n/a'
        : `${r.botCpuMsPerRequest} ms (≈ ${Math.round(1000 / r.botCpuMsPerRequest)} requests/s per free core)`,
    ],
    [
      'load client CPU per request',
      r.clientCpuMsPerRequest === null
        ? 'n/a'
        : `${r.clientCpuMsPerRequest} ms (senders + loopback connector)`,
    ],
    ['load average 1/5/15 min', `${r.loadAverage.join(' / ')} on ${r.cores} cores`],
    ...Object.entries(r.byCommand).map(([kind, s]): [string, string] => [
      `  ${kind} (${s.count})`,
      `p50 ${s.p50} / p99 ${s.p99} ms`,
    ]),
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log('\n== Load: /api/messages, loopback connector, embedded defaults ==');
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  for (const e of r.firstErrors) console.log(`  error: ${e}`);
  console.log(
    '  note: latency runs from the POST until /api/messages answers; the bot answers only after the',
  );
  console.log('        connector has acknowledged its reply, so the reply has arrived by then.');
  if (r.thinkMs === 0 && r.botCpuMsPerRequest !== null) {
    // Closed loop without think time: every conversation always has a request queued at the bot.
    const floor = Math.round(r.conversations * r.botCpuMsPerRequest);
    console.log(
      `  note: with no think time all ${r.conversations} conversations always have a request in flight, so a`,
    );
    console.log(
      `        request waits for the others: ≈ ${r.conversations} × ${r.botCpuMsPerRequest} ms ≈ ${floor} ms on one free core.`,
    );
  }
}

import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TurnContext } from 'botbuilder';
import { createCloudAdapter } from '../bot/adapter.js';
import { composeBot } from '../bot/composition/compose-bot.js';
import { createBotServer } from '../bot/server.js';
import { loadConfig } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import { openStore } from '../bot/composition/open-store.js';
import { startLoopbackConnector } from '../test/support/loopback-connector.js';
import { teamsMessage } from '../test/bot/teams-activity.js';
import type { BenchSection } from './types.js';

/**
 * `show customer 10000` round trips through HTTP /api/messages (restify → CloudAdapter → middleware →
 * bot → store → card → reply to a loopback Bot Connector), against an echo bot behind the same server,
 * adapter and middleware in the same run. Requests alternate so both see the same machine load.
 */
const WARMUP = 50;
const ROUNDS = 400;

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const round = (n: number): number => Math.round(n * 100) / 100;

export async function run(): Promise<BenchSection> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-bot-'));
  // Logging stays on at info (its cost is part of a turn) but goes nowhere.
  const logger = createLogger('info', createWriteStream('/dev/null'));
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, RATE_LIMIT_PER_MINUTE: '0', PORT: '0' });
  const store = await openStore({ config, logger });
  const connector = await startLoopbackConnector();
  try {
    const bot = composeBot({ config, logger, db: store.db });
    await bot.seed();
    const adapter = createCloudAdapter(config, logger);
    for (const m of bot.middleware) adapter.use(m);
    const echo = async (context: TurnContext) =>
      void (await context.sendActivity(`echo: ${context.activity.text}`));
    const logic = (context: TurnContext) =>
      context.activity.conversation.id.startsWith('echo:') ? echo(context) : bot.logic(context);
    const server = createBotServer({
      adapter,
      logic,
      ping: () => store.ping(),
      logger,
      port: 0,
      host: '127.0.0.1',
    });
    const { url } = await server.start();
    try {
      const timed = async (conversationId: string): Promise<number> => {
        const body = JSON.stringify(
          teamsMessage('show customer 10000', { serviceUrl: connector.serviceUrl, conversationId }),
        );
        const started = performance.now();
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`/api/messages answered ${res.status}`);
        return performance.now() - started;
      };
      const times = { echo: [] as number[], show: [] as number[] };
      for (let i = 0; i < WARMUP + ROUNDS; i++) {
        const e = await timed('echo:bench');
        const s = await timed('a:bench');
        if (i >= WARMUP) {
          times.echo.push(e);
          times.show.push(s);
        }
        connector.clear();
      }
      const echoSorted = [...times.echo].sort((a, b) => a - b);
      const showSorted = [...times.show].sort((a, b) => a - b);
      const ratio = percentile(showSorted, 50) / percentile(echoSorted, 50);
      const showP99 = percentile(showSorted, 99);
      return {
        title: 'Bot: show customer 10000 over HTTP /api/messages (loopback connector) vs echo bot',
        rows: [
          { metric: 'echo bot p50', value: round(percentile(echoSorted, 50)), unit: 'ms' },
          { metric: 'echo bot p99', value: round(percentile(echoSorted, 99)), unit: 'ms' },
          { metric: 'show customer 10000 p50', value: round(percentile(showSorted, 50)), unit: 'ms' },
          {
            metric: 'show customer 10000 p99',
            value: round(showP99),
            unit: 'ms',
            target: '≤ 50',
            pass: showP99 <= 50,
          },
          {
            metric: 'p50 show / p50 echo',
            value: round(ratio),
            unit: '×',
            target: '≤ 1.5',
            pass: ratio <= 1.5,
          },
        ],
        notes: [
          `${ROUNDS} alternating round trips each after ${WARMUP} warm-up; one request at a time; embedded MongoDB; logging at info to /dev/null.`,
          'A round trip ends when the HTTP response returns, i.e. after the reply reached the loopback connector.',
          'The record is shown again each round: its id is remembered, so the record and its coupling are read side by side (one round of store reads).',
        ],
      };
    } finally {
      await server.stop(1_000);
    }
  } finally {
    await connector.close();
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TurnContext } from 'botbuilder';
import type { Collection, Db } from 'mongodb';
import { createCloudAdapter } from '../bot/adapter.js';
import { composeBot } from '../bot/composition/compose-bot.js';
import { createBotServer } from '../bot/server.js';
import { loadConfig } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import { openStore } from '../bot/composition/open-store.js';
import { startLoopbackConnector } from '../test/support/loopback-connector.js';
import { teamsMessage } from '../test/bot/teams-activity.js';
import { shuffled } from './support/order.js';
import type { BenchSection } from './types.js';

/**
 * `show customer 10000` round trips through HTTP /api/messages (restify → CloudAdapter → middleware →
 * bot → store → card → reply to a loopback Bot Connector), against an echo bot behind the same server,
 * adapter and middleware in the same run. Requests are interleaved, in a fresh order each round, so
 * all see the same machine load.
 */
const WARMUP = 50;
const ROUNDS = 400;

/**
 * Diagnostic only: the same database, except that a `findOne` answered once is answered again from
 * memory (a copy), so a turn built on it shows what the turn costs without its store round trips.
 */
function findOneFromMemory(db: Db): Db {
  const answers = new Map<string, unknown>();
  const collection = (coll: Collection) =>
    new Proxy(coll, {
      get(target, prop) {
        if (prop === 'findOne') {
          return async (...args: unknown[]) => {
            const key = `${target.collectionName} ${JSON.stringify(args)}`;
            if (!answers.has(key))
              answers.set(key, await (target.findOne as (...a: unknown[]) => unknown)(...args));
            return structuredClone(answers.get(key));
          };
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'collection') return (name: string) => collection(target.collection(name));
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const KINDS = ['echo', 'show', 'memory'] as const;
const CONVERSATION = { echo: 'echo:bench', show: 'a:bench', memory: 'memory:bench' } as const;

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
    const fromMemory = composeBot({ config, logger, db: findOneFromMemory(store.db) });
    const adapter = createCloudAdapter(config, logger);
    for (const m of bot.middleware) adapter.use(m);
    const echo = async (context: TurnContext) =>
      void (await context.sendActivity(`echo: ${context.activity.text}`));
    const logic = (context: TurnContext) => {
      const id = context.activity.conversation.id;
      if (id.startsWith('echo:')) return echo(context);
      return id.startsWith('memory:') ? fromMemory.logic(context) : bot.logic(context);
    };
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
      const times = { echo: [] as number[], show: [] as number[], memory: [] as number[] };
      for (let i = 0; i < WARMUP + ROUNDS; i++) {
        for (const kind of shuffled(KINDS)) {
          const ms = await timed(CONVERSATION[kind]);
          if (i >= WARMUP) times[kind].push(ms);
        }
        connector.clear();
      }
      const echoSorted = [...times.echo].sort((a, b) => a - b);
      const showSorted = [...times.show].sort((a, b) => a - b);
      const memorySorted = [...times.memory].sort((a, b) => a - b);
      const ratio = percentile(showSorted, 50) / percentile(echoSorted, 50);
      const memoryRatio = percentile(memorySorted, 50) / percentile(echoSorted, 50);
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
          {
            metric: '  diagnostic: the same turn with its store reads answered from memory, p50 / echo p50',
            value: round(memoryRatio),
            unit: '×',
          },
          {
            metric: "  the store reads' share of the show turn's p50",
            value: round(percentile(showSorted, 50) - percentile(memorySorted, 50)),
            unit: 'ms',
          },
        ],
        notes: [
          `${ROUNDS} rounds of one echo, one show and one diagnostic turn in a fresh random order, after ${WARMUP} warm-up; one request at a time; embedded MongoDB; logging at info to /dev/null.`,
          'A round trip ends when the HTTP response returns, i.e. after the reply reached the loopback connector.',
          'The record is shown again each round: its id is remembered, so the record and its coupling are read side by side (one round of store reads).',
          'Diagnostic rows: a second bot on the same database whose findOne answers repeat from memory (never in the product); what is left above the echo is the turn without its store round trips.',
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

import type { ComposedBot } from '../../../../bot/composition/compose-bot.js';
import { startBotOverHttp } from '../../../kit/bot.js';
import type { LoopbackConnector } from '../../../support/loopback-connector.js';
import type { TestDb } from '../../../support/test-mongo.js';
import type { captureLogs } from '../../log-capture.js';

export interface HttpMatchBot {
  bot: ComposedBot;
  db: TestDb;
  connector: LoopbackConnector;
  logs: ReturnType<typeof captureLogs>['lines'];
  /** POSTs an activity to /api/messages; returns the HTTP status and JSON body (an invoke's answer). */
  post(activity: unknown): Promise<{ status: number; body: unknown }>;
  /** Every follow-up (manager copies, card updates, synchronization) has finished. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real thing on loopback (test/kit/bot.ts): restify server, CloudAdapter (authentication off),
 * proactive messages through the adapter, replies and card updates landing on a loopback Bot Connector.
 */
export async function startHttpMatchBot(env: Record<string, string>): Promise<HttpMatchBot> {
  const http = await startBotOverHttp({ env, proactive: true });
  return {
    ...http,
    async post(activity) {
      const res = await http.post(activity);
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    },
  };
}

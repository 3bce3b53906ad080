import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import restify, { type Request, type Response } from 'restify';
import type { CloudAdapter, TurnContext } from 'botbuilder';
import type { Logger } from '../core/logger.js';
import { ActivityShape } from './activity-shape.js';
import { createTurnGate } from './turn-gate.js';

export interface BotServerDeps {
  adapter: CloudAdapter;
  /** The bot: runs once per activity, after the adapter's middleware. */
  logic: (context: TurnContext) => Promise<void>;
  /** True when the store answers (for /healthz). */
  ping: () => Promise<boolean>;
  logger: Logger;
  port: number;
  /** Interface to listen on; all interfaces by default (Azure App Service), 127.0.0.1 in tests. */
  host?: string;
  /** Work that outlives its turn (background jobs): the drain waits for it too, within the same time. */
  background?: { readonly size: number; idle(): Promise<void> };
  /** GET /metrics (Prometheus text) when METRICS_ENDPOINT=on; the handler decides who may read it. */
  metrics?: (req: IncomingMessage, res: ServerResponse) => void;
}

export interface BotServer {
  /** Listens; resolves with the actual port (PORT=0 picks a free one) and the messaging endpoint. */
  start(): Promise<{ port: number; url: string }>;
  /** Stops accepting requests, waits for in-flight turns (up to `drainMs`), then closes. Idempotent. */
  stop(drainMs?: number): Promise<void>;
  /** Requests to /api/messages being processed right now. */
  readonly inFlight: number;
}

/** Activities are small; anything bigger is refused by the body parser before it reaches the bot. */
const MAX_BODY_BYTES = 256 * 1024;

export function createBotServer(deps: BotServerDeps): BotServer {
  const server = restify.createServer({ name: 'coupling-assistant' });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false }));

  // First come, first served while the bot is overloaded (turn-gate.ts).
  const gate = createTurnGate();
  let inFlight = 0;
  let draining = false;
  let drained: (() => void) | undefined;

  server.post('/api/messages', async (req: Request, res: Response) => {
    if (draining) {
      res.header('Retry-After', '5');
      res.send(503, { error: 'The bot is restarting; try again in a few seconds.' });
      return;
    }
    const shape = ActivityShape.safeParse(req.body);
    if (!shape.success) {
      const issue = shape.error.issues[0];
      res.send(400, {
        error: `Not a Bot Framework activity: ${issue?.path.join('.') || 'body'}: ${issue?.message}`,
      });
      return;
    }
    inFlight++;
    const done = await gate.enter();
    try {
      await deps.adapter.process(req, res, deps.logic);
    } catch (err) {
      // adapter.process answers errors itself; this is for a failure while answering.
      deps.logger.error({ err }, 'request to /api/messages failed');
      if (!res.headersSent) res.send(500);
    } finally {
      done();
      inFlight--;
      if (draining && inFlight === 0) drained?.();
    }
  });

  server.get('/healthz', async (_req: Request, res: Response) => {
    if (draining) return void res.send(503, { status: 'draining' });
    const ok = await deps.ping().catch(() => false);
    res.send(ok ? 200 : 503, { status: ok ? 'ok' : 'store unavailable' });
  });

  const metrics = deps.metrics;
  // The handler answers by itself (the exporter collects, then writes).
  if (metrics) server.get('/metrics', async (req: Request, res: Response) => metrics(req, res));

  let stopping: Promise<void> | undefined;

  return {
    get inFlight() {
      return inFlight;
    },

    start() {
      return new Promise((resolve, reject) => {
        server.server.once('error', reject);
        server.listen(deps.port, deps.host, () => {
          server.server.off('error', reject);
          const { port } = server.address() as AddressInfo;
          const host = deps.host ?? 'localhost';
          resolve({ port, url: `http://${host}:${port}/api/messages` });
        });
      });
    },

    stop(drainMs = 10_000) {
      stopping ??= (async () => {
        draining = true;
        const closed = new Promise<void>((resolve) => server.server.close(() => resolve()));
        server.server.closeIdleConnections();
        const timer = new Promise<void>((resolve) => setTimeout(resolve, drainMs).unref());
        if (inFlight > 0) {
          deps.logger.info({ inFlight }, 'waiting for in-flight turns to finish');
          await Promise.race([new Promise<void>((resolve) => (drained = resolve)), timer]);
          if (inFlight > 0)
            deps.logger.warn({ inFlight }, 'drain timed out; closing with turns still running');
        }
        const background = deps.background;
        if (background && background.size > 0) {
          deps.logger.info({ background: background.size }, 'waiting for background jobs to finish');
          await Promise.race([background.idle(), timer]);
          if (background.size > 0)
            deps.logger.warn(
              { background: background.size },
              'drain timed out with background jobs running; they will show as Interrupted',
            );
        }
        server.server.closeAllConnections();
        gate.close();
        await closed;
      })();
      return stopping;
    },
  };
}

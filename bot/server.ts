import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import restify, { type Request, type Response } from 'restify';
import type { TurnContext } from 'botbuilder';
import type { Logger } from '../core/logger.js';
import { ActivityShape } from './activity-shape.js';
import type { EdgeAdapter } from './adapter.js';
import { isJsonContentType, MAX_BODY_BYTES, readJsonBody } from './json-body.js';
import { createActivityProcessor } from './process-activity.js';
import { ACTIVITY_MESSAGE } from './reply.js';
import { createTurnGate, GateFullError } from './turn-gate.js';

export interface BotServerDeps {
  adapter: EdgeAdapter;
  /** The bot: runs once per activity, after the adapter's middleware. */
  logic: (context: TurnContext) => Promise<void>;
  /** True when the store answers (for /healthz). */
  ping: () => Promise<boolean>;
  logger: Logger;
  port: number;
  /**
   * Interfaces to listen on (local-only.ts decides from HOST and whether authentication is on); all
   * interfaces when absent. The first is required; further ones (::1 beside 127.0.0.1) are best effort.
   */
  host?: string | readonly string[];
  /** Bounds of the overload gate (MAX_QUEUED_TURNS, MAX_TURNS_PER_CONVERSATION); unbounded if absent. */
  overload?: { maxQueued: number; maxPerConversation: number };
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

/** Seconds a refused caller is asked to wait (Retry-After) when the gate is full. */
const BUSY_RETRY_AFTER_S = 2;
export const BUSY_TEXT = 'I’m busy right now; try again in a moment. Nothing was changed.';

export function createBotServer(deps: BotServerDeps): BotServer {
  // No body parser plugin (restify's parses multipart into temp files): JSON only, read in memory.
  const server = restify.createServer({ name: 'coupling-assistant' });

  // First come, first served while the bot is overloaded (turn-gate.ts); bounded, past that 503.
  const gate = createTurnGate(deps.overload ?? {});
  const processActivity = createActivityProcessor(deps.logger);
  const extraListeners: Server[] = [];
  let inFlight = 0;
  let draining = false;
  let drained: (() => void) | undefined;

  server.post('/api/messages', async (req: Request, res: Response) => {
    if (draining) {
      res.header('Retry-After', '5');
      res.send(503, { error: 'The bot is restarting; try again in a few seconds.' });
      return;
    }
    if (!isJsonContentType(req.headers['content-type'])) {
      // Answered from the headers alone; the connection closes, so the body is never read.
      res.header('Connection', 'close');
      res.send(415, { error: 'Only application/json (UTF-8) is accepted here.' });
      return;
    }
    const read = await readJsonBody(req, MAX_BODY_BYTES);
    if (!read.ok) {
      if (read.status === 413) res.header('Connection', 'close');
      res.send(read.status, { error: read.error });
      return;
    }
    req.body = read.body;
    const shape = ActivityShape.safeParse(req.body);
    if (!shape.success) {
      const issue = shape.error.issues[0];
      res.send(400, {
        error: `Not a Bot Framework activity: ${issue?.path.join('.') || 'body'}: ${issue?.message}`,
      });
      return;
    }
    let done: () => void;
    try {
      done = await gate.enter(shape.data.conversation.id);
    } catch (e) {
      if (!(e instanceof GateFullError)) throw e;
      deps.logger.warn(
        { reason: e.reason, running: gate.running, waiting: gate.waiting },
        'overloaded: turn refused with 503',
      );
      return busy(res, shape.data.type === 'invoke' && shape.data['name'] === 'adaptiveCard/action');
    }
    inFlight++;
    try {
      await processActivity(deps.adapter, req, res, deps.logic);
    } catch (err) {
      // processActivity answers errors itself; this is for a failure while answering.
      deps.logger.error({ err }, 'request to /api/messages failed');
      if (!res.headersSent) res.send(500);
    } finally {
      done();
      inFlight--;
      if (draining && inFlight === 0) drained?.();
    }
  });

  /** An Action.Execute expects its answer in the response: one line there; otherwise 503 + Retry-After. */
  const busy = (res: Response, cardAction: boolean) => {
    res.header('Retry-After', String(BUSY_RETRY_AFTER_S));
    if (cardAction) {
      res.send(200, { statusCode: 200, type: ACTIVITY_MESSAGE, value: BUSY_TEXT });
      return;
    }
    res.send(503, { error: BUSY_TEXT });
  };

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

    async start() {
      const [first, ...more] = typeof deps.host === 'string' ? [deps.host] : [...(deps.host ?? [])];
      const port = await new Promise<number>((resolve, reject) => {
        server.server.once('error', reject);
        server.listen(deps.port, first, () => {
          server.server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      });
      for (const host of more) {
        // Same handlers on another interface (::1 beside 127.0.0.1); a host without IPv6 skips it.
        const extra = createServer();
        for (const l of server.server.listeners('request')) extra.on('request', l as () => void);
        try {
          await new Promise<void>((resolve, reject) => {
            extra.once('error', reject);
            extra.listen(port, host, () => resolve());
          });
          extraListeners.push(extra);
        } catch (err) {
          deps.logger.info({ host, err: (err as Error).message }, 'not listening on this interface');
        }
      }
      const shown = first === undefined || first === '0.0.0.0' || first === '::' ? 'localhost' : first;
      const urlHost = shown.includes(':') ? `[${shown}]` : shown;
      return { port, url: `http://${urlHost}:${port}/api/messages` };
    },

    stop(drainMs = 10_000) {
      stopping ??= (async () => {
        draining = true;
        const closed = Promise.all(
          [server.server, ...extraListeners].map(
            (s) => new Promise<void>((resolve) => s.close(() => resolve())),
          ),
        );
        for (const s of [server.server, ...extraListeners]) s.closeIdleConnections();
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
        for (const s of [server.server, ...extraListeners]) s.closeAllConnections();
        gate.close();
        await closed;
      })();
      return stopping;
    },
  };
}

import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The part of the Prometheus exporter that serializes the current metrics into a response. */
export interface PrometheusSerializer {
  getMetricsRequestHandler(request: IncomingMessage, response: ServerResponse): void;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * GET /metrics in the Prometheus text format, for a scraper on the same host (loopback) or, when
 * METRICS_TOKEN is set, anyone presenting it as a bearer token. Everyone else gets 403 and no figures.
 */
export function metricsEndpoint(
  exporter: PrometheusSerializer,
  token: string | undefined,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const fromLoopback = LOOPBACK.has(req.socket.remoteAddress ?? '');
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const authorized = token !== undefined && bearer !== undefined && sameSecret(bearer, token);
    if (!fromLoopback && !authorized) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(
        token === undefined
          ? '/metrics answers clients on this host only (set METRICS_TOKEN to allow others).\n'
          : '/metrics needs the METRICS_TOKEN bearer token from clients on other hosts.\n',
      );
      return;
    }
    exporter.getMetricsRequestHandler(req, res);
  };
}

import { metrics, trace } from '@opentelemetry/api';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createCloudAdapter } from '../../../../bot/adapter.js';
import { createBotServer, type BotServer } from '../../../../bot/server.js';
import { loadConfig } from '../../../../core/config.js';
import { createLogger } from '../../../../core/logger.js';
import { noTelemetry } from '../../../../core/ports/telemetry.js';
import { metricsEndpoint } from '../../../../bot/composition/telemetry/metrics-endpoint.js';
import {
  startTelemetry,
  type RunningTelemetry,
} from '../../../../bot/composition/telemetry/start-telemetry.js';

const logger = createLogger('silent');
const started: RunningTelemetry[] = [];
const servers: BotServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop(100);
  for (const t of started.splice(0)) await t.shutdown();
});

async function start(env: Record<string, string>) {
  const running = await startTelemetry(loadConfig({ NODE_ENV: 'test', ...env }), logger);
  started.push(running);
  return running;
}

/** The bot's real HTTP server (no turns are sent), with /metrics when telemetry provides it. */
async function serve(running: RunningTelemetry) {
  const config = loadConfig({ NODE_ENV: 'test' });
  const server = createBotServer({
    adapter: createCloudAdapter(config, logger),
    logic: async () => undefined,
    ping: async () => true,
    logger,
    port: 0,
    host: '127.0.0.1',
    metrics: running.metrics,
  });
  servers.push(server);
  const { port } = await server.start();
  return `http://127.0.0.1:${port}`;
}

describe('telemetry off (no connection string, no /metrics)', () => {
  it('starts no SDK: the no-op port runs and the global OpenTelemetry providers stay no-ops', async () => {
    const running = await start({});
    expect(running.telemetry).toBe(noTelemetry);
    expect(running.exporters).toEqual([]);
    expect(running.metrics).toBeUndefined();
    expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(false);
    expect(metrics.getMeterProvider().constructor.name).toBe('NoopMeterProvider');
  });

  it('serves no /metrics', async () => {
    const url = await serve(await start({}));
    expect((await fetch(`${url}/metrics`)).status).toBe(404);
  });
});

describe('METRICS_ENDPOINT=on', () => {
  it('serves the bot metrics in the Prometheus text format to a client on this host', async () => {
    const running = await start({ METRICS_ENDPOINT: 'on' });
    expect(running.exporters).toEqual(['/metrics']);
    running.telemetry.connectorRequest({ system: 'Dataverse', status: 429 });
    running.telemetry.connectorThrottled({ system: 'Dataverse' });
    running.telemetry.turnEnded(42, { activityType: 'message', outcome: 'ok' });
    const res = await fetch(`${await serve(running)}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(
      /coupling_connector_requests_total\{[^}]*connector_system="Dataverse"[^}]*http_response_status_code="429"[^}]*\} 1/,
    );
    expect(text).toMatch(/coupling_connector_throttled_total\{[^}]*connector_system="Dataverse"[^}]*\} 1/);
    expect(text).toMatch(/coupling_turn_duration_(milliseconds_)?count\{[^}]*outcome="ok"[^}]*\} 1/);
    // Traces are not collected for /metrics alone: no tracer provider is registered.
    expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(false);
  });
});

describe('who may read /metrics', () => {
  const TOKEN = 'a-long-enough-metrics-token';
  function call(remoteAddress: string, authorization?: string) {
    let served = false;
    let status = 0;
    let body = '';
    const exporter = { getMetricsRequestHandler: () => void (served = true) };
    const req = {
      socket: { remoteAddress },
      headers: authorization ? { authorization } : {},
    } as IncomingMessage;
    const res = {
      writeHead: (code: number) => (status = code),
      end: (text: string) => (body = text),
    } as unknown as ServerResponse;
    return {
      run: (token?: string) => (metricsEndpoint(exporter, token)(req, res), { served, status, body }),
    };
  }

  it.each([
    ['127.0.0.1', undefined, undefined],
    ['::1', undefined, undefined],
    ['::ffff:127.0.0.1', undefined, TOKEN],
    ['10.0.0.5', `Bearer ${TOKEN}`, TOKEN],
  ])('serves %s (authorization %s)', (address, authorization, token) => {
    expect(call(address, authorization).run(token).served).toBe(true);
  });

  it.each([
    ['10.0.0.5', undefined, undefined, 'clients on this host only'],
    ['10.0.0.5', `Bearer ${TOKEN}`, undefined, 'clients on this host only'],
    ['10.0.0.5', 'Bearer wrong-token-of-some-length', TOKEN, 'needs the METRICS_TOKEN'],
    ['10.0.0.5', TOKEN, TOKEN, 'needs the METRICS_TOKEN'],
  ])('refuses %s (authorization %s) with 403 and says why', (address, authorization, token, why) => {
    const result = call(address, authorization).run(token);
    expect(result).toMatchObject({ served: false, status: 403 });
    expect(result.body).toContain(why);
  });
});

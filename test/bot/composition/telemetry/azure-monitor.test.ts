import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../../../core/config.js';
import { createLogger } from '../../../../core/logger.js';
import { startTelemetry } from '../../../../bot/composition/telemetry/start-telemetry.js';
import { testTls } from '../../../kit/tls.js';

/**
 * APPLICATIONINSIGHTS_CONNECTION_STRING set: the Azure Monitor distro runs and what the bot records
 * reaches the ingestion endpoint of the connection string — here a loopback server standing in for
 * Application Insights' `/v2.1/track`. (Its own process: the distro registers global providers.)
 */
interface Envelope {
  name: string;
  data?: { baseType?: string; baseData?: Record<string, unknown> };
}
const received: Envelope[] = [];
let ingestion: Server;
let endpoint: string;

beforeAll(async () => {
  // The SDK's own usage statistics would go to a Microsoft endpoint: not from a test.
  process.env.APPLICATION_INSIGHTS_NO_STATSBEAT = 'true';
  process.env.APPLICATIONINSIGHTS_STATSBEAT_DISABLED = 'true';
  const tls = testTls();
  ingestion = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      if (req.url?.startsWith('/v2.1/track')) {
        const items = JSON.parse(body.toString('utf8')) as Envelope[];
        received.push(...items);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ itemsReceived: items.length, itemsAccepted: items.length, errors: [] }));
      } else {
        res.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => ingestion.listen(0, '127.0.0.1', resolve));
  endpoint = `https://127.0.0.1:${(ingestion.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => ingestion.close(() => resolve())));

it('exports spans and metrics to Application Insights and flushes them at shutdown', async () => {
  const config = loadConfig({
    NODE_ENV: 'test',
    APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=${endpoint}`,
  });
  const running = await startTelemetry(config, createLogger('silent'), { ingestionCa: testTls().caPem });
  expect(running.exporters).toEqual(['Application Insights']);
  await running.telemetry.inSpan('turn message', 'server', { correlationId: 'turn-1' }, async () => {
    await running.telemetry.inSpan(
      'GET Business Central',
      'client',
      { correlationId: 'call-1' },
      async (span) => {
        span.set({ 'http.response.status_code': 200 });
      },
    );
  });
  running.telemetry.connectorRequest({ system: 'Business Central', status: 200 });
  await running.shutdown();

  const spans = received.filter(
    (e) => e.data?.baseType === 'RequestData' || e.data?.baseType === 'RemoteDependencyData',
  );
  const names = spans.map((e) => e.data?.baseData?.name);
  expect(names).toEqual(expect.arrayContaining(['turn message', 'GET Business Central']));
  const turn = spans.find((e) => e.data?.baseData?.name === 'turn message')!;
  expect((turn as { tags?: Record<string, string> }).tags?.['ai.cloud.role']).toBe('coupling-assistant');
  expect((turn.data?.baseData?.properties as Record<string, unknown>).correlationId).toBe('turn-1');
  const metricNames = received
    .filter((e) => e.data?.baseType === 'MetricData')
    .flatMap((e) => (e.data?.baseData?.metrics as Array<{ name: string }>).map((m) => m.name));
  expect(metricNames).toContain('coupling.connector.requests');
}, 60_000);

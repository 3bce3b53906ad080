import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AzureMonitorOpenTelemetryOptions } from '@azure/monitor-opentelemetry';
import type { Config } from '../../../core/config.js';
import type { Logger } from '../../../core/logger.js';
import { noTelemetry, type Telemetry } from '../../../core/ports/telemetry.js';
import { metricsEndpoint } from './metrics-endpoint.js';
import { createOtelTelemetry } from '../../../connectors/telemetry/otel-telemetry.js';

/**
 * Starts what the settings ask for, and nothing else:
 * - APPLICATIONINSIGHTS_CONNECTION_STRING set: the Azure Monitor OpenTelemetry distro (traces and
 *   metrics exported to Application Insights);
 * - METRICS_ENDPOINT=on: a Prometheus reader serving GET /metrics;
 * - neither: no SDK is loaded or started; the port's no-op implementation runs.
 */
export interface RunningTelemetry {
  telemetry: Telemetry;
  /** GET /metrics handler when METRICS_ENDPOINT=on. */
  metrics?: (req: IncomingMessage, res: ServerResponse) => void;
  /** What runs, for the start-up log line. */
  exporters: string[];
  /** Flushes and stops the SDK (at shutdown). */
  shutdown(): Promise<void>;
}

type TelemetrySettings = Pick<
  Config,
  'APPLICATIONINSIGHTS_CONNECTION_STRING' | 'METRICS_ENDPOINT' | 'METRICS_TOKEN'
>;

export interface TelemetryOptions {
  /** Tests: the CA of a loopback stand-in for the ingestion endpoint (the exporter only speaks https). */
  ingestionCa?: string;
}

export async function startTelemetry(
  config: TelemetrySettings,
  logger: Logger,
  options: TelemetryOptions = {},
): Promise<RunningTelemetry> {
  const connectionString = config.APPLICATIONINSIGHTS_CONNECTION_STRING;
  const wantsMetrics = config.METRICS_ENDPOINT === 'on';
  if (!connectionString && !wantsMetrics) {
    return { telemetry: noTelemetry, exporters: [], shutdown: async () => undefined };
  }
  // Loaded only when asked for: the SDKs are large and start timers and exporters of their own.
  const prometheus = wantsMetrics
    ? new (await import('@opentelemetry/exporter-prometheus')).PrometheusExporter({
        preventServerStart: true,
      })
    : undefined;
  const metrics = prometheus ? metricsEndpoint(prometheus, config.METRICS_TOKEN) : undefined;

  if (connectionString) {
    // The cloud role name in Application Insights (application map, role filter); an explicit one wins.
    process.env.OTEL_SERVICE_NAME ??= 'coupling-assistant';
    const azure = await import('@azure/monitor-opentelemetry');
    type Reader = NonNullable<AzureMonitorOpenTelemetryOptions['metricReaders']>[number];
    azure.useAzureMonitor({
      azureMonitorExporterOptions: {
        connectionString,
        ...(options.ingestionCa ? { tlsOptions: { ca: options.ingestionCa } } : {}),
      },
      // The distro bundles its own copy of sdk-metrics: the same MetricReader contract, another class.
      metricReaders: prometheus ? [prometheus as unknown as Reader] : [],
      enableLiveMetrics: false,
      // Every turn traced: a chat bot's volume is small, and a sampled-out turn is the one someone asks about.
      // (The distro's default, 5 traces a second with an empty budget at start, drops the first turns.)
      tracesPerSecond: 0,
      samplingRatio: 1,
    });
    return {
      telemetry: createOtelTelemetry(),
      metrics,
      exporters: ['Application Insights', ...(prometheus ? ['/metrics'] : [])],
      shutdown: () =>
        azure.shutdownAzureMonitor().catch((err: unknown) => logger.warn({ err }, 'telemetry flush failed')),
    };
  }

  const { MeterProvider } = await import('@opentelemetry/sdk-metrics');
  const meterProvider = new MeterProvider({ readers: prometheus ? [prometheus] : [] });
  return {
    telemetry: createOtelTelemetry({ meterProvider }),
    metrics,
    exporters: ['/metrics'],
    shutdown: () => meterProvider.shutdown(),
  };
}

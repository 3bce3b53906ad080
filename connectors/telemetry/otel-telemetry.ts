import {
  metrics,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type MeterProvider,
  type TracerProvider,
} from '@opentelemetry/api';
import type { SpanKind as PortSpanKind, Telemetry, TelemetryAttributes } from '../../core/ports/telemetry.js';

/**
 * The telemetry port on the OpenTelemetry API. Without a registered SDK the API's providers are no-ops,
 * so this costs next to nothing; `start-telemetry.ts` decides which SDK (if any) runs.
 */
export const INSTRUMENTATION_SCOPE = 'coupling-assistant';

/** Metric names, in one place (dashboards and alerts refer to them). */
export const METRIC = {
  turnDuration: 'coupling.turn.duration',
  jobsEnded: 'coupling.jobs.ended',
  connectorRequests: 'coupling.connector.requests',
  connectorRetries: 'coupling.connector.retries',
  connectorThrottled: 'coupling.connector.throttled',
} as const;

const KINDS: Record<PortSpanKind, SpanKind> = {
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  internal: SpanKind.INTERNAL,
};

function clean(attributes: TelemetryAttributes): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined) out[key] = value;
  return out;
}

export interface OtelProviders {
  /** Defaults to the globally registered provider (the API's no-op one when no SDK runs). */
  tracerProvider?: TracerProvider;
  meterProvider?: MeterProvider;
}

export function createOtelTelemetry(providers: OtelProviders = {}): Telemetry {
  const tracer = (providers.tracerProvider ?? trace.getTracerProvider()).getTracer(INSTRUMENTATION_SCOPE);
  const meter = (providers.meterProvider ?? metrics.getMeterProvider()).getMeter(INSTRUMENTATION_SCOPE);
  const turnDuration = meter.createHistogram(METRIC.turnDuration, {
    unit: 'ms',
    description: 'Time from an activity reaching the bot to its turn ending (replies sent)',
  });
  const jobsEnded = meter.createCounter(METRIC.jobsEnded, {
    description: 'Synchronization, coupling and uncoupling jobs that ended, by type and outcome',
  });
  const requests = meter.createCounter(METRIC.connectorRequests, {
    description: 'HTTP requests to Business Central, Dataverse and Entra ID, by status',
  });
  const retries = meter.createCounter(METRIC.connectorRetries, {
    description: 'HTTP requests sent again (backoff, Retry-After, token refresh), by reason',
  });
  const throttled = meter.createCounter(METRIC.connectorThrottled, {
    description: '429 Too Many Requests answers; each pauses that connector',
  });

  return {
    inSpan(name, kind, attributes, work) {
      return tracer.startActiveSpan(
        name,
        { kind: KINDS[kind], attributes: clean(attributes) },
        async (span) => {
          try {
            return await work({
              set: (more) => span.setAttributes(clean(more)),
              fail: (reason) => span.setStatus({ code: SpanStatusCode.ERROR, message: reason }),
            });
          } catch (error) {
            const err = error instanceof Error ? error : new Error(String(error));
            span.recordException(err);
            span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
            throw error;
          } finally {
            span.end();
          }
        },
      );
    },
    turnEnded: (ms, a) => turnDuration.record(ms, { 'activity.type': a.activityType, outcome: a.outcome }),
    connectorRequest: (a) =>
      requests.add(1, { 'connector.system': a.system, 'http.response.status_code': String(a.status) }),
    connectorRetry: (a) => retries.add(1, { 'connector.system': a.system, 'retry.reason': a.reason }),
    connectorThrottled: (a) => throttled.add(1, { 'connector.system': a.system }),
    jobsEnded: (count, a) => jobsEnded.add(count, { 'job.type': a.type, 'job.outcome': a.outcome }),
  };
}

import { AsyncLocalStorage } from 'node:async_hooks';
import { context, ROOT_CONTEXT, type Context, type ContextManager } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import type { Telemetry } from '../../../../core/ports/telemetry.js';
import { createOtelTelemetry } from '../../../../connectors/telemetry/otel-telemetry.js';

/**
 * The OpenTelemetry SDK with in-memory exporters, as the test's own providers (nothing global but the
 * context manager, which the real SDK registers too: it is what makes a connector call made during a
 * turn a child of that turn's span).
 */
class AsyncLocalContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.storage.run(ctx, () => fn.apply(thisArg, args));
  }
  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const run = (...args: unknown[]) =>
      this.with(ctx, target as (...a: unknown[]) => unknown, undefined, ...args);
    return run as T;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.storage.disable();
    return this;
  }
}

class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

export interface MetricPoint {
  name: string;
  attributes: Record<string, unknown>;
  /** A counter's sum, or a histogram's count. */
  value: number;
}

export interface InMemoryTelemetry {
  telemetry: Telemetry;
  spans(): ReadableSpan[];
  metrics(): Promise<MetricPoint[]>;
  /** Points of one metric, as `attribute values joined by |` → value. */
  metric(name: string, ...keys: string[]): Promise<Record<string, number>>;
  reset(): void;
}

export function inMemoryTelemetry(): InMemoryTelemetry {
  context.setGlobalContextManager(new AsyncLocalContextManager());
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new CollectingReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const telemetry = createOtelTelemetry({ tracerProvider, meterProvider });
  const metrics = async (): Promise<MetricPoint[]> => {
    const { resourceMetrics } = await reader.collect();
    return resourceMetrics.scopeMetrics.flatMap((scope) =>
      scope.metrics.flatMap((m) =>
        (m.dataPoints as Array<{ attributes: Record<string, unknown>; value: unknown }>).map((p) => ({
          name: m.descriptor.name,
          attributes: p.attributes,
          value: typeof p.value === 'number' ? p.value : (p.value as { count: number }).count,
        })),
      ),
    );
  };
  return {
    telemetry,
    spans: () => exporter.getFinishedSpans(),
    metrics,
    async metric(name, ...keys) {
      const points = (await metrics()).filter((p) => p.name === name);
      return Object.fromEntries(
        points.map((p) => [keys.map((k) => String(p.attributes[k])).join('|'), p.value]),
      );
    },
    reset: () => exporter.reset(),
  };
}

/**
 * What the bot reports about itself: spans (a turn, an outbound call) and a few metrics. Core and the
 * connectors speak to this port only; the OpenTelemetry adapter (`telemetry/`) implements it, and
 * `noTelemetry` is what runs when telemetry is off (nothing recorded, nothing allocated).
 */
export type TelemetryAttributes = Record<string, string | number | boolean | undefined>;

export type SpanKind = 'server' | 'client' | 'internal';

/** The span a piece of work runs in. */
export interface SpanScope {
  /** Adds attributes known only later (a status code, a count). */
  set(attributes: TelemetryAttributes): void;
  /** Marks the span failed (an error answer that was not thrown, e.g. a 503 returned to the caller). */
  fail(reason: string): void;
}

export type RemoteSystemName = 'Business Central' | 'Dataverse' | 'Entra ID';

export interface Telemetry {
  /**
   * Runs `work` inside a span, a child of the span active at the call (so a connector call made during
   * a turn is part of that turn's trace); a thrown error marks the span failed and is rethrown.
   */
  inSpan<T>(
    name: string,
    kind: SpanKind,
    attributes: TelemetryAttributes,
    work: (span: SpanScope) => Promise<T>,
  ): Promise<T>;
  /** A turn ended: how long it took, its activity type and whether it failed. */
  turnEnded(ms: number, attributes: { activityType: string; outcome: 'ok' | 'error' }): void;
  /** One HTTP request answered (status) or failed on the network (status 'network-error'). */
  connectorRequest(attributes: { system: RemoteSystemName; status: number | 'network-error' }): void;
  /** A request is about to be sent again; `reason` is the status that caused it, or 'network-error'. */
  connectorRetry(attributes: { system: RemoteSystemName; reason: string }): void;
  /** A 429: the connector pauses every request to that system. */
  connectorThrottled(attributes: { system: RemoteSystemName }): void;
  /** Jobs ended with this status (Finished, Failed, Interrupted). */
  jobsEnded(count: number, attributes: { type: string; outcome: string }): void;
}

const noSpan: SpanScope = { set: () => undefined, fail: () => undefined };

export const noTelemetry: Telemetry = {
  inSpan: (_name, _kind, _attributes, work) => work(noSpan),
  turnEnded: () => undefined,
  connectorRequest: () => undefined,
  connectorRetry: () => undefined,
  connectorThrottled: () => undefined,
  jobsEnded: () => undefined,
};

import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADA } from '../../bot/teams-activity.js';
import { startHttpBot, type HttpBot } from '../../integration/http/http-bot.js';
import { METRIC } from '../../../connectors/telemetry/otel-telemetry.js';
import { inMemoryTelemetry, type InMemoryTelemetry } from './support/in-memory-telemetry.js';

/**
 * What an operator sees of one chat turn: the bot composed as with real Business Central and
 * Dataverse (loopback authority, BC and Dataverse servers), its telemetry going to in-memory
 * exporters. A turn is one server span carrying the correlation id of its log lines; every request to
 * Entra ID, Business Central and Dataverse made for it is a client span under it, carrying the
 * request's own correlation id (the one in the `http request` log line and the x-ms-client-request-id
 * header); metrics count turns, requests by status, 429s and retries.
 */
let otel: InMemoryTelemetry;
let bot: HttpBot;

beforeAll(async () => {
  otel = inMemoryTelemetry();
  bot = await startHttpBot({ telemetry: otel.telemetry });
});
afterAll(async () => {
  await bot.close();
});
beforeEach(() => otel.reset());

const childrenOf = (parent: ReadableSpan) =>
  otel.spans().filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);

describe('a turn', () => {
  it('is a server span with the correlation id of its log lines, parent of its outbound calls', async () => {
    const before = await otel.metric(METRIC.turnDuration, 'activity.type', 'outcome');
    const answer = await bot.ask('show customer 10000', ADA);
    expect(answer.text).toContain('10000');

    const turns = otel.spans().filter((s) => s.name === 'turn message');
    expect(turns).toHaveLength(1);
    const turn = turns[0]!;
    expect(turn.kind).toBe(SpanKind.SERVER);
    const correlationId = String(turn.attributes.correlationId);
    const turnLines = bot.logs().filter((l) => l.correlationId === correlationId);
    expect(turnLines.length).toBeGreaterThan(0);

    const calls = childrenOf(turn);
    const systems = new Set(calls.map((s) => s.attributes['connector.system']));
    expect(systems).toContain('Business Central');
    for (const call of calls) {
      expect(call.kind).toBe(SpanKind.CLIENT);
      expect(call.attributes['http.response.status_code']).toBe(200);
      expect(call.attributes['url.path']).not.toContain('?');
    }
    const bcCall = calls.find((s) => s.attributes['connector.system'] === 'Business Central')!;
    const requestLines = bot.logs().filter((l) => l.correlationId === bcCall.attributes.correlationId);
    expect(requestLines.map((l) => l.msg)).toContain('http request');

    const after = await otel.metric(METRIC.turnDuration, 'activity.type', 'outcome');
    expect((after['message|ok'] ?? 0) - (before['message|ok'] ?? 0)).toBe(1);
  });

  it("counts connector requests by status, a 429 and the retry it caused, in the turn's trace", async () => {
    const requests = await otel.metric(
      METRIC.connectorRequests,
      'connector.system',
      'http.response.status_code',
    );
    const throttled = await otel.metric(METRIC.connectorThrottled, 'connector.system');
    const retries = await otel.metric(METRIC.connectorRetries, 'connector.system', 'retry.reason');
    bot.fakes.bc.failNext({ kind: 'status', status: 429, retryAfter: '0' });

    await bot.ask('show customer 10000', ADA);

    const delta = (now: Record<string, number>, then: Record<string, number>, key: string) =>
      (now[key] ?? 0) - (then[key] ?? 0);
    const requestsAfter = await otel.metric(
      METRIC.connectorRequests,
      'connector.system',
      'http.response.status_code',
    );
    expect(delta(requestsAfter, requests, 'Business Central|429')).toBe(1);
    expect(delta(requestsAfter, requests, 'Business Central|200')).toBeGreaterThanOrEqual(1);
    expect(
      delta(await otel.metric(METRIC.connectorThrottled, 'connector.system'), throttled, 'Business Central'),
    ).toBe(1);
    expect(
      delta(
        await otel.metric(METRIC.connectorRetries, 'connector.system', 'retry.reason'),
        retries,
        'Business Central|429',
      ),
    ).toBe(1);

    const turn = otel.spans().find((s) => s.name === 'turn message')!;
    const bcCalls = childrenOf(turn).filter((s) => s.attributes['connector.system'] === 'Business Central');
    const refused = bcCalls.find((s) => s.attributes['http.response.status_code'] === 429)!;
    expect(refused.status.code).toBe(SpanStatusCode.ERROR);
    const resent = bcCalls.find(
      (s) => s.attributes.correlationId === refused.attributes.correlationId && s !== refused,
    )!;
    expect(resent.attributes['http.request.resend_count']).toBe(1);
    expect(resent.attributes['http.response.status_code']).toBe(200);
  });

  it("the token request is an Entra ID span under the turn, with msal's correlation id", async () => {
    const fresh = await startHttpBot({ telemetry: otel.telemetry });
    try {
      otel.reset();
      await fresh.ask('show customer 10000', ADA);
      const token = otel.spans().find((s) => s.name === 'POST Entra ID');
      expect(token?.attributes['url.path']).toMatch(/\/oauth2\/v2\.0\/token$/);
      expect(token?.attributes['http.response.status_code']).toBe(200);
      expect(String(token?.attributes.correlationId)).toMatch(/^[0-9a-f-]{36}$/);
      const turn = otel.spans().find((s) => s.name === 'turn message')!;
      expect(token?.parentSpanContext?.spanId).toBe(turn.spanContext().spanId);
    } finally {
      await fresh.close();
    }
  });

  it('counts the jobs a command starts by type and outcome when they end', async () => {
    const before = await otel.metric(METRIC.jobsEnded, 'job.type', 'job.outcome');
    const answer = await bot.ask('sync customers modified', ADA);
    expect(answer.text).toMatch(/Synchroniz|job/i);
    const after = await otel.metric(METRIC.jobsEnded, 'job.type', 'job.outcome');
    const ended = Object.entries(after)
      .map(([key, n]) => [key, n - (before[key] ?? 0)] as const)
      .filter(([, n]) => n > 0);
    expect(ended.length).toBeGreaterThan(0);
    for (const [key] of ended) expect(key).toMatch(/^[A-Za-z ]+\|Finished$/);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectorError } from '../../../core/ports/errors.js';
import { SECRET, startHarness, type Harness } from '../../kit/loopback/harness.js';
import type { Fault } from '../../kit/loopback/fake-base.js';

let h: Harness;
let customerId: string;
let accountId: string;
const delays: number[] = [];
/** Records the delays asked for and waits a token millisecond, so tests check the policy, not the clock. */
const sleep = async (ms: number) => {
  delays.push(ms);
  await new Promise((resolve) => setTimeout(resolve, 1));
};

beforeAll(async () => {
  h = await startHarness();
  customerId = String(
    h.bc.seed('customers', [{ number: '10000', displayName: 'Adatum', blocked: ' ' }])[0]?.id,
  );
  accountId = String(h.dv.seed('accounts', [{ name: 'Adatum', statecode: 0 }])[0]?.accountid);
});
afterAll(() => h.close());
beforeEach(() => {
  delays.length = 0;
  h.bc.resetStats();
  h.dv.resetStats();
  Object.assign(h.bc.behaviour, { latencyMs: 0, throttleEvery: 0, retryAfterSeconds: 1 });
});

describe('retries', () => {
  it('waits what Retry-After says (seconds) after a 429, then succeeds', async () => {
    h.bc.failNext({ kind: 'status', status: 429, retryAfter: '2' });
    const record = await h.connect({ sleep }).businessCentral.getById('Customer', customerId);
    expect(record?.number).toBe('10000');
    expect(delays).toEqual([2000]);
    expect(h.bc.requests).toHaveLength(2);
  });

  it('reads Retry-After given as an HTTP date', async () => {
    h.dv.failNext({ kind: 'status', status: 429, retryAfter: new Date(Date.now() + 3000).toUTCString() });
    await h.connect({ sleep }).dataverse.get('account', accountId);
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThan(1000);
    expect(delays[0]).toBeLessThanOrEqual(3000);
  });

  it('backs off exponentially with full jitter when no Retry-After is given (503, 504, 408)', async () => {
    for (const status of [503, 504, 408]) h.bc.failNext({ kind: 'status', status });
    const retry = { baseDelayMs: 100, maxDelayMs: 10_000, maxTotalMs: 60_000 };
    await h.connect({ sleep, random: () => 1, retry }).businessCentral.getById('Customer', customerId);
    expect(delays).toEqual([100, 200, 400]);
  });

  it('holds every request of the client while the API asked to wait, not just the throttled one', async () => {
    let release = () => {};
    const held = (ms: number) => {
      delays.push(ms);
      return new Promise<void>((resolve) => (release = resolve));
    };
    const connectors = h.connect({ sleep: held });
    h.dv.failNext({ kind: 'status', status: 429, retryAfter: '5' });
    const first = connectors.dataverse.get('account', accountId);
    await vi.waitFor(() => expect(delays).toEqual([5000]));
    const second = connectors.dataverse.get('account', accountId);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(h.dv.requests).toHaveLength(1);
    release();
    await Promise.all([first, second]);
    expect(h.dv.requests.map((r) => r.status)).toEqual([429, 200, 200]);
  });

  it('holds requests already queued behind the cap too, so none bursts out during the wait', async () => {
    const own = await startHarness({ dataverseConcurrency: 2 });
    try {
      let release = () => {};
      const asked: number[] = [];
      const held = (ms: number) => {
        asked.push(ms);
        return new Promise<void>((resolve) => (release = resolve));
      };
      own.dv.behaviour.latencyMs = 20;
      const id = String(own.dv.seed('accounts', [{ name: 'x' }])[0]?.accountid);
      own.dv.failNext({ kind: 'status', status: 429, retryAfter: '5' });
      const connectors = own.connect({ sleep: held });
      const reads = Array.from({ length: 6 }, () => connectors.dataverse.get('account', id));
      await vi.waitFor(() => expect(asked).toEqual([5000]));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(own.dv.requests.length).toBeLessThanOrEqual(2);
      release();
      expect((await Promise.all(reads)).every((row) => row?.id === id)).toBe(true);
      expect(own.dv.requests).toHaveLength(7);
    } finally {
      await own.close();
    }
  });

  it('gives up after the bounded number of attempts with a clear message', async () => {
    h.bc.behaviour.throttleEvery = 1;
    h.bc.behaviour.retryAfterSeconds = 0;
    const error = await h
      .connect({ sleep, retry: { maxAttempts: 6 } })
      .businessCentral.getById('Customer', customerId)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as Error).message).toMatch(
      /Business Central answered 429 .*Too many requests reached.*still throttled after retrying/,
    );
    expect(h.bc.requests).toHaveLength(6);
  });

  it('does not wait beyond the total time bound when asked to wait longer', async () => {
    h.dv.failNext({ kind: 'status', status: 429, retryAfter: '300' });
    const started = Date.now();
    await expect(h.connect({ sleep }).dataverse.get('account', accountId)).rejects.toThrow(/answered 429/);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(h.dv.requests).toHaveLength(1);
  });

  it('after a 429 beyond the budget, pauses every other request of that connector for Retry-After', async () => {
    let release = () => {};
    const held = (ms: number) => {
      delays.push(ms);
      return new Promise<void>((resolve) => (release = resolve));
    };
    const connectors = h.connect({ sleep: held });
    h.dv.failNext({ kind: 'status', status: 429, retryAfter: '300' });
    await expect(connectors.dataverse.get('account', accountId)).rejects.toThrow(/answered 429/);
    // Another request, of another user, of the background lane: not sent while the API asked for silence.
    await expect(connectors.dataverse.get('account', accountId)).rejects.toThrow(
      /Dataverse \(.+\) asked us to pause until .+ \(too many requests\); try again after that/,
    );
    await expect(connectors.background.dataverse.get('account', accountId)).rejects.toThrow(
      /asked us to pause/,
    );
    expect(h.dv.requests).toHaveLength(1);
    expect(delays).toEqual([300_000]);
    // Business Central was not the one throttled: it goes on.
    await expect(connectors.businessCentral.getById('Customer', customerId)).resolves.toBeTruthy();
    // Once the pause is over, requests flow again.
    release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    await expect(connectors.dataverse.get('account', accountId)).resolves.toBeTruthy();
    expect(h.dv.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('does not repeat a create after a gateway timeout (it may have happened), but does repeat a read', async () => {
    h.bc.failNext({ kind: 'status', status: 504 });
    await expect(h.connect({ sleep }).businessCentral.create('Customer', { 'No.': 'T1' })).rejects.toThrow(
      /answered 504/,
    );
    expect(
      h.bc
        .table('customers')
        .all()
        .some((r) => r.number === 'T1'),
    ).toBe(false);
    h.bc.failNext({ kind: 'status', status: 504 });
    await expect(h.connect({ sleep }).businessCentral.getById('Customer', customerId)).resolves.toBeTruthy();
  });
});

describe('idempotency and timeouts', () => {
  it('repeats a read after a 500, then succeeds', async () => {
    h.bc.failNext({ kind: 'status', status: 500 });
    const record = await h.connect({ sleep }).businessCentral.getById('Customer', customerId);
    expect(record?.number).toBe('10000');
    expect(h.bc.requests.map((r) => r.status)).toEqual([500, 200]);
  });

  it('does not repeat a create after a 500 (it may have happened) and says so', async () => {
    h.bc.failNext({ kind: 'status', status: 500 });
    await expect(h.connect({ sleep }).businessCentral.create('Customer', { 'No.': 'T500' })).rejects.toThrow(
      /answered 500/,
    );
    expect(h.bc.requests.map((r) => [r.method, r.status])).toEqual([['POST', 500]]);
  });

  it('repeats a guarded update (If-Match) after a 502 and a 503', async () => {
    h.dv.failNext({ kind: 'status', status: 502 });
    h.dv.failNext({ kind: 'status', status: 503 });
    await h.connect({ sleep }).dataverse.update('account', accountId, { name: 'Adatum' });
    expect(h.dv.requests.map((r) => [r.method, r.status])).toEqual([
      ['PATCH', 502],
      ['PATCH', 503],
      ['PATCH', 200],
    ]);
  });

  it('repeats a guarded delete after a 504, and a delete that already happened is done', async () => {
    const id = String(h.dv.seed('accounts', [{ name: 'Doomed' }])[0]?.accountid);
    h.dv.failNext({ kind: 'status', status: 504 });
    await h.connect({ sleep }).dataverse.delete('account', id);
    expect(h.dv.requests.map((r) => [r.method, r.status])).toEqual([
      ['DELETE', 504],
      ['DELETE', 204],
    ]);
    expect(h.dv.table('accounts').get(id)).toBeUndefined();
  });

  it('ends an attempt that gets no answer within the per-attempt timeout', async () => {
    h.bc.behaviour.latencyMs = 3000;
    const started = Date.now();
    const error = await h
      .connect({ sleep, timeoutMs: 200, retry: { maxAttempts: 2 } })
      .businessCentral.getById('Customer', customerId)
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /Business Central could not be reached at .+: no answer within 0.2 s/,
    );
    // Two attempts of 0.2 s each, not the 3 s the server would have taken.
    expect(Date.now() - started).toBeLessThan(2000);
    expect(h.bc.requests.filter((r) => r.path.includes('/customers'))).toHaveLength(2);
  });

  it('never lets one operation run past its total budget, attempts and waits included', async () => {
    h.bc.behaviour.latencyMs = 3000;
    const started = Date.now();
    await expect(
      h
        .connect({
          timeoutMs: 10_000,
          retry: { maxAttempts: 6, maxTotalMs: 400, baseDelayMs: 1, maxDelayMs: 5 },
        })
        .businessCentral.getById('Customer', customerId),
    ).rejects.toThrow(/could not be reached/);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('lanes', () => {
  it('keeps part of the cap for chat commands: background work cannot starve them', async () => {
    const connectors = h.connect({ sleep });
    h.bc.behaviour.latencyMs = 150;
    // BC allows 5 at once: background work may hold 3, so a chat command never queues behind 40 reads.
    const background = Array.from({ length: 40 }, () =>
      connectors.background.businessCentral.getById('Customer', customerId),
    );
    let backgroundDone = 0;
    for (const read of background) void read.then(() => (backgroundDone += 1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await connectors.businessCentral.getById('Customer', customerId);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(backgroundDone).toBeLessThan(10);
    await Promise.all(background);
    expect(h.bc.maxInFlight()).toBeLessThanOrEqual(5);
    expect(connectors.clients.businessCentral.maxInFlight).toBeLessThanOrEqual(5);
  });
});

describe('tokens', () => {
  it('on 401 gets one fresh token and retries once', async () => {
    const connectors = h.connect({ sleep });
    await connectors.dataverse.get('account', accountId);
    h.authority.expireAll();
    const issued = h.authority.tokensIssued();
    h.dv.resetStats();
    await connectors.dataverse.get('account', accountId);
    expect(h.dv.requests.map((r) => r.status)).toEqual([401, 200]);
    expect(h.authority.tokensIssued() - issued).toBe(1);
  });

  it('stops after the second 401 and says what to check', async () => {
    const unauthorized = {
      kind: 'status',
      status: 401,
      body: {
        error: {
          code: 'Authentication_InvalidCredentials',
          message: 'The credentials provided are incorrect',
        },
      },
    } as Fault;
    h.bc.failNext(unauthorized);
    h.bc.failNext(unauthorized);
    const error = await h
      .connect({ sleep })
      .businessCentral.getById('Customer', customerId)
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /answered 401 .*The credentials provided are incorrect \(the token was refused even after getting a new one/,
    );
    expect(h.bc.requests).toHaveLength(2);
  });
});

describe('concurrency caps', () => {
  it.each([
    ['Business Central', 5, 0],
    ['Business Central', 5, 3],
    ['Dataverse', 3, 0],
    ['Dataverse', 3, 4],
  ] as const)(
    '%s never has more than %i requests in flight (429 every %i)',
    async (system, cap, throttleEvery) => {
      const own = await startHarness({ dataverseConcurrency: 3 });
      try {
        const server = system === 'Business Central' ? own.bc : own.dv;
        Object.assign(server.behaviour, { latencyMs: 15, throttleEvery, retryAfterSeconds: 0 });
        const connectors = own.connect();
        const bcId = String(own.bc.seed('customers', [{ number: '1', blocked: ' ' }])[0]?.id);
        const dvId = String(own.dv.seed('accounts', [{ name: 'x' }])[0]?.accountid);
        const calls = Array.from({ length: 30 }, () =>
          system === 'Business Central'
            ? connectors.businessCentral.getById('Customer', bcId)
            : connectors.dataverse.get('account', dvId),
        );
        expect((await Promise.all(calls)).every((r) => r !== null)).toBe(true);
        expect(server.maxInFlight()).toBe(cap);
        if (throttleEvery > 0) expect(server.requests.some((r) => r.status === 429)).toBe(true);
      } finally {
        await own.close();
      }
    },
  );
});

describe('bad responses', () => {
  const cases: Array<[string, Fault, RegExp]> = [
    [
      'an HTML error page',
      { kind: 'html' },
      /sent an HTML page titled "Service Unavailable" instead of data for/,
    ],
    [
      'truncated JSON',
      { kind: 'truncated' },
      /sent an incomplete or malformed response for .*\(Unterminated|Unexpected end/,
    ],
    [
      'an OData error in a 200',
      { kind: 'odata-error-200', message: 'Table lock timeout' },
      /reported an error for .*: Table lock timeout/,
    ],
  ];
  it.each(cases)(
    'Business Central: %s becomes a clear error for that record',
    async (_name, fault, message) => {
      h.bc.failNext(fault);
      await expect(h.connect().businessCentral.getById('Customer', customerId)).rejects.toThrow(message);
    },
  );
  it.each(cases)('Dataverse: %s becomes a clear error for that record', async (_name, fault, message) => {
    h.dv.failNext(fault);
    await expect(h.connect().dataverse.get('account', accountId)).rejects.toThrow(message);
  });
  it('a record without lastModifiedDateTime / modifiedon is named in the error', async () => {
    h.bc.failNext({ kind: 'missing-field', field: 'lastModifiedDateTime' });
    await expect(h.connect().businessCentral.getById('Customer', customerId)).rejects.toThrow(
      /Business Central sent Customer .* without the required field "lastModifiedDateTime"/,
    );
    h.dv.failNext({ kind: 'missing-field', field: 'modifiedon' });
    await expect(h.connect().dataverse.get('account', accountId)).rejects.toThrow(
      /Dataverse sent account .* without the required field "modifiedon"/,
    );
  });
  it('refuses to follow a link to another host with the token', async () => {
    const client = h.connect().clients.dataverse;
    await expect(
      client.send({ method: 'GET', url: 'https://attacker.example/api/data/v9.2/accounts' }),
    ).rejects.toThrow(/refusing to send the token there/);
  });
});

describe('request logs', () => {
  it('carry method, host, path, status, duration and correlation id — never a token, secret or query', async () => {
    h.logs.length = 0;
    const connectors = h.connect({ sleep });
    h.dv.failNext({ kind: 'status', status: 429, retryAfter: '0' });
    await connectors.dataverse.findByField('account', 'name', 'Secret Customer Name', 1);
    await connectors.businessCentral.getById('Customer', customerId);
    const text = h.logs.join('');
    const lines = h.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === 'http request');
    expect(lines.map((l) => l.status)).toEqual([429, 200, 200]);
    expect(lines[0]).toMatchObject({
      method: 'GET',
      host: new URL(h.dv.origin).host,
      path: '/api/data/v9.2/accounts',
    });
    expect(lines.every((l) => typeof l.durationMs === 'number' && typeof l.correlationId === 'string')).toBe(
      true,
    );
    const tokens = await Promise.all(
      [h.settings.businessCentral.scope, h.settings.dataverse.scope].map((s) =>
        connectors.tokens.getToken(s),
      ),
    );
    for (const secret of [SECRET, ...tokens, 'Bearer', 'Secret Customer Name', '$filter'])
      expect(text).not.toContain(secret);
  });
});

import { createLogger } from '../core/logger.js';
import type { HttpConnectors } from '../connectors/http/create-http-connectors.js';
import { startHarness, type Harness } from '../test/kit/loopback/harness.js';
import type { BenchRow, BenchSection } from './types.js';

/**
 * The HTTP part of synchronization: 10,000 Dataverse accounts and 10,000 BC customers updated through
 * the real connectors against the loopback servers (TLS, tokens, 5 ms server latency), first undisturbed,
 * then with a server answering 429 (Retry-After: 1) to one request in ten. Counts come from the servers.
 */
const N = 10_000;
const LATENCY_MS = 5;

export async function run(): Promise<BenchSection> {
  const h = await startHarness({
    // The services' own page maxima (the test default pages by 3 to exercise paging, not to measure it).
    bc: { behaviour: { latencyMs: LATENCY_MS }, serverPageSize: 20_000 },
    dv: { behaviour: { latencyMs: LATENCY_MS }, serverPageSize: 5000 },
  });
  try {
    const accounts = h.dv.seed(
      'accounts',
      Array.from({ length: N }, (_, i) => ({ name: `Account ${i}`, telephone1: '555', statecode: 0 })),
    );
    const customers = h.bc.seed(
      'customers',
      Array.from({ length: N }, (_, i) => ({
        number: String(100000 + i),
        displayName: `C${i}`,
        blocked: ' ',
      })),
    );
    const ids = { dv: accounts.map((r) => String(r.accountid)), bc: customers.map((r) => String(r.id)) };
    const calm = await round(h, ids, 'calm', 0);
    const throttled = await round(h, ids, 'throttled', 10);
    return {
      title: 'HTTP connectors (loopback BC API v2.0 + Dataverse Web API, TLS, 5 ms latency)',
      rows: [...calm, ...throttled],
      notes: [
        `${N.toLocaleString('en-US')} records per system; updates carry the ETag read by a paged list, as a sync would.`,
        'Requests per record written = requests the fake server received during the writes (retries included) / records.',
        'Throttled round: every 10th request answered 429 with Retry-After: 1; the client pauses all its requests for it.',
      ],
    };
  } finally {
    await h.close();
  }
}

async function round(
  h: Harness,
  ids: { dv: string[]; bc: string[] },
  label: string,
  throttleEvery: number,
): Promise<BenchRow[]> {
  for (const server of [h.bc, h.dv]) Object.assign(server.behaviour, { throttleEvery, retryAfterSeconds: 1 });
  const connectors = h.connect({
    logger: createLogger('silent'),
    retry: { maxTotalMs: 120_000, maxAttempts: 8 },
  });
  const value = `${label} ${Date.now()}`;

  const dvRead = await timed(() => readAll(connectors, 'dv'));
  h.dv.resetStats();
  const dvWrite = await timed(() =>
    connectors.dataverse.updateMany(
      'account',
      dvRead.result.map((r) => ({ id: r.id, etag: r.etag, fields: { name: value } })),
    ),
  );
  const dvRequests = h.dv.requests.length;
  const dvPeak = h.dv.maxInFlight();

  const bcRead = await timed(() => readAll(connectors, 'bc'));
  h.bc.resetStats();
  const bcWrite = await timed(() =>
    connectors.businessCentral.updateMany(
      'Customer',
      bcRead.result.map((r) => ({ id: r.id, etag: r.etag, fields: { Name: value } })),
    ),
  );
  const bcRequests = h.bc.requests.length;
  const bcPeak = h.bc.maxInFlight();

  const dvWritten = ids.dv.filter((id) => h.dv.table('accounts').get(id)?.name === value).length;
  const bcWritten = ids.bc.filter((id) => h.bc.table('customers').get(id)?.displayName === value).length;
  const okResults = (results: Array<{ ok: boolean }>) => results.filter((r) => r.ok).length;
  const rate = (ms: number) => Math.round(N / (ms / 1000));
  const t = throttleEvery > 0 ? ' (429 on 1 in 10)' : '';
  const rows: BenchRow[] = [
    { metric: `DV list 10k accounts${t}`, value: rate(dvRead.ms), unit: 'records/s' },
    { metric: `DV update 10k accounts${t}`, value: rate(dvWrite.ms), unit: 'records/s' },
    { metric: `DV HTTP requests for ${N} writes${t}`, value: dvRequests, unit: 'requests' },
    perRecord(`DV HTTP requests per record written${t}`, dvRequests, 0.05),
    { metric: `BC list 10k customers${t}`, value: rate(bcRead.ms), unit: 'records/s' },
    { metric: `BC update 10k customers${t}`, value: rate(bcWrite.ms), unit: 'records/s' },
    { metric: `BC HTTP requests for ${N} writes${t}`, value: bcRequests, unit: 'requests' },
    perRecord(`BC HTTP requests per record written${t}`, bcRequests, 0.02),
    {
      metric: `DV records written${t}`,
      value: dvWritten,
      unit: 'records',
      target: `${N} (all ok)`,
      pass: dvWritten === N && okResults(dvWrite.result) === N,
    },
    {
      metric: `BC records written${t}`,
      value: bcWritten,
      unit: 'records',
      target: `${N} (all ok)`,
      pass: bcWritten === N && okResults(bcWrite.result) === N,
    },
    {
      metric: `DV max requests in flight${t}`,
      value: dvPeak,
      unit: 'requests',
      target: '≤ 8 (cap)',
      pass: dvPeak <= 8,
    },
    {
      metric: `BC max requests in flight${t}`,
      value: bcPeak,
      unit: 'requests',
      target: '≤ 5 (cap)',
      pass: bcPeak <= 5,
    },
  ];
  if (throttleEvery > 0) {
    const throttled =
      connectors.clients.dataverse.stats.throttled + connectors.clients.businessCentral.stats.throttled;
    rows.push({
      metric: '429 answers honoured (both systems, whole round)',
      value: throttled,
      unit: 'responses',
    });
  }
  return rows;
}

/** Shown per 1,000 records: per record the ratio rounds to 0 in the table. */
function perRecord(metric: string, requests: number, target: number): BenchRow {
  const value = (requests / N) * 1000;
  return {
    metric,
    value,
    unit: 'req/1,000 records',
    target: `≤ ${target * 1000} (${target}/record)`,
    pass: requests / N <= target,
  };
}

async function readAll(connectors: HttpConnectors, system: 'dv' | 'bc') {
  const rows: Array<{ id: string; etag?: string }> = [];
  const pages =
    system === 'dv'
      ? connectors.dataverse.list('account', [])
      : connectors.businessCentral.list('Customer', { pageSize: 5000 });
  for await (const page of pages) rows.push(...page);
  return rows;
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

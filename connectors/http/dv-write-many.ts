import type { DvRow } from '../../core/model/record.js';
import type { WriteResult } from '../../core/ports/business-central.js';
import { ConcurrencyError } from '../../core/ports/errors.js';
import { chunk } from './chunk.js';
import {
  DV_MAX_BATCH,
  DvBatchRefused,
  dvBatchBody,
  parseDvBatchResponse,
  type DvBatchAnswer,
  type DvBatchPart,
  type DvBatchRequest,
} from './dv-batch.js';
import type { HttpClient } from './http-client.js';
import { failure, remoteMessage } from './odata.js';
import { explainRemote } from './permission-errors.js';

const SYSTEM = 'Dataverse';

/** One write ready to go: the request, or the reason it could not even be built. */
export type DvWrite = { what: string; request: DvBatchRequest } | { what: string; invalid: string };

interface Context {
  http: HttpClient;
  batchUrl: string;
  batchSize: number;
  /** Turns a 200/201 representation into a row (throws ConnectorError on a bad body). */
  parse(body: string, what: string): DvRow;
}

type Result = WriteResult<DvRow>;

/**
 * Writes as $batch requests of ≤ batchSize (≤ 1000) with `Prefer: odata.continue-on-error`, one result per
 * input in input order. `atomic`: each batch is one change set, so its writes succeed or fail together.
 */
export async function dvWriteMany(
  context: Context,
  writes: readonly DvWrite[],
  atomic: boolean,
  idempotent: boolean,
): Promise<Result[]> {
  const results: Result[] = new Array<Result>(writes.length);
  const ready: Array<{ index: number; request: DvBatchRequest }> = [];
  writes.forEach((write, index) => {
    if ('invalid' in write) results[index] = { ok: false, error: write.invalid, code: 'invalid' };
    else ready.push({ index, request: write.request });
  });
  if (atomic && ready.length < writes.length) {
    // All or nothing: one unusable write means none is sent.
    const reason = writes.map((w) => ('invalid' in w ? w.invalid : undefined)).find((r) => r !== undefined);
    ready.forEach(
      ({ index }) =>
        (results[index] = {
          ok: false,
          error: `Not written: another record of the group is invalid (${reason})`,
        }),
    );
    return results;
  }
  const size = Math.min(context.batchSize, DV_MAX_BATCH);
  await Promise.all(
    chunk(ready, size).map((part) => sendBatch(context, part, writes, results, atomic, idempotent)),
  );
  return results;
}

async function sendBatch(
  context: Context,
  part: Array<{ index: number; request: DvBatchRequest }>,
  writes: readonly DvWrite[],
  results: Result[],
  atomic: boolean,
  idempotent: boolean,
): Promise<void> {
  const what = `a $batch of ${part.length} writes`;
  const failAll = (message: string) =>
    part.forEach(({ index }) => (results[index] = { ok: false, error: message }));
  const parts: DvBatchPart[] = atomic
    ? [{ changeSet: part.map((p) => p.request) }]
    : part.map((p) => ({ request: p.request }));
  const { contentType, body } = dvBatchBody(parts);
  try {
    const response = await context.http.send({
      method: 'POST',
      url: context.batchUrl,
      headers: {
        'Content-Type': contentType,
        Prefer: 'odata.continue-on-error',
        'OData-Version': '4.0',
        'OData-MaxVersion': '4.0',
      },
      body,
      idempotent,
    });
    if (response.status !== 200) return failAll(failure(SYSTEM, response, what).message);
    let answers: DvBatchAnswer[];
    try {
      answers = parseDvBatchResponse(response.headers.get('content-type') ?? '', response.text);
    } catch (error) {
      if (error instanceof DvBatchRefused) {
        // Every record hears the server's own reason, under its own name.
        part.forEach(({ index }) => {
          const record = (writes[index] as DvWrite).what;
          results[index] = {
            ok: false,
            error: `${SYSTEM} reported an error for ${record} (in ${what}): ${explainRemote(SYSTEM, error.message)}`,
          };
        });
        return;
      }
      return failAll(`${SYSTEM} sent an unreadable $batch response for ${what}: ${(error as Error).message}`);
    }
    const group = answers[0];
    if (atomic && group !== undefined && !Array.isArray(group)) {
      const reason = `${SYSTEM} answered ${group.status}: ${explainRemote(SYSTEM, remoteMessage({ text: group.body }))}`;
      const code = group.status === 412 ? ('conflict' as const) : undefined;
      part.forEach(
        ({ index }) =>
          (results[index] = { ok: false, error: `Nothing in this group was written (${reason})`, code }),
      );
      return;
    }
    part.forEach(({ index }, i) => {
      const answer = atomic && Array.isArray(group) ? group[i] : answers[i];
      results[index] = itemResult(context, answer, (writes[index] as DvWrite).what);
    });
  } catch (error) {
    failAll((error as Error).message);
  }
}

function itemResult(context: Context, answer: DvBatchAnswer | undefined, what: string): Result {
  if (answer === undefined || Array.isArray(answer))
    return { ok: false, error: `${SYSTEM} gave no answer for ${what} in its $batch response` };
  if (answer.status === 200 || answer.status === 201) {
    try {
      return { ok: true, value: context.parse(answer.body, what) };
    } catch (error) {
      return { ok: false, error: (error as Error).message, code: 'invalid' };
    }
  }
  if (answer.status === 412)
    return { ok: false, error: new ConcurrencyError(SYSTEM, what).message, code: 'conflict' };
  if (answer.status === 404)
    return { ok: false, error: `${what} no longer exists in ${SYSTEM}.`, code: 'not_found' };
  return {
    ok: false,
    error: `${SYSTEM} answered ${answer.status} for ${what}: ${explainRemote(SYSTEM, remoteMessage({ text: answer.body }))}`,
  };
}

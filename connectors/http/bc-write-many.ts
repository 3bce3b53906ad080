import type { BcRecord, Fields } from '../../core/model/record.js';
import type { BcTable } from '../../core/model/tables.js';
import type { WriteResult } from '../../core/ports/business-central.js';
import { ConcurrencyError } from '../../core/ports/errors.js';
import {
  BC_MAX_BATCH,
  bcBatchBody,
  BcBatchResponse,
  type BcBatchItem,
  type BcBatchOperation,
} from './bc-batch.js';
import { toApi } from './bc-entities.js';
import { chunk } from './chunk.js';
import type { HttpClient } from './http-client.js';
import { failure, readJson, remoteMessage } from './odata.js';
import { explainRemote } from './permission-errors.js';

const SYSTEM = 'Business Central';

export interface BcWrite {
  method: 'PATCH' | 'POST';
  /** Relative to the service root, as $batch wants it. */
  url: string;
  etag?: string;
  fields: Fields;
  /** How the record is named in messages. */
  what: string;
}

interface Context {
  http: HttpClient;
  table: BcTable;
  batchUrl: string;
  parse(table: BcTable, item: unknown): BcRecord;
}

type Result = WriteResult<BcRecord>;

/**
 * Many writes as JSON $batch requests of ≤ 100 operations, one result per input in input order. A record
 * that cannot be translated or that BC refuses fails alone; the others are written.
 */
export async function bcWriteMany(
  context: Context,
  writes: readonly BcWrite[],
  idempotent: boolean,
): Promise<Result[]> {
  const results: Result[] = new Array<Result>(writes.length);
  const operations: Array<{ index: number; op: BcBatchOperation }> = [];
  writes.forEach((write, index) => {
    try {
      const body = toApi(context.table, write.fields);
      const headers = write.etag ? { 'If-Match': write.etag } : undefined;
      operations.push({
        index,
        op: { id: String(index + 1), method: write.method, url: write.url, headers, body },
      });
    } catch (error) {
      results[index] = { ok: false, error: (error as Error).message, code: 'invalid' };
    }
  });
  await Promise.all(
    chunk(operations, BC_MAX_BATCH).map((part) => sendBatch(context, part, writes, results, idempotent)),
  );
  return results;
}

async function sendBatch(
  context: Context,
  part: Array<{ index: number; op: BcBatchOperation }>,
  writes: readonly BcWrite[],
  results: Result[],
  idempotent: boolean,
): Promise<void> {
  const what = `a $batch of ${part.length} ${context.table} writes`;
  const failAll = (message: string) =>
    part.forEach(({ index }) => (results[index] = { ok: false, error: message }));
  try {
    const response = await context.http.send({
      method: 'POST',
      url: context.batchUrl,
      headers: { 'Content-Type': 'application/json' },
      body: bcBatchBody(part.map((p) => p.op)),
      idempotent,
    });
    if (response.status !== 200) return failAll(failure(SYSTEM, response, what).message);
    const answers = new Map(
      readJson(SYSTEM, response, BcBatchResponse, what).responses.map((r) => [r.id, r]),
    );
    for (const { index, op } of part) {
      results[index] = itemResult(context, answers.get(op.id), writes[index] as BcWrite);
    }
  } catch (error) {
    failAll((error as Error).message);
  }
}

function itemResult(context: Context, item: BcBatchItem | undefined, write: BcWrite): Result {
  if (!item) return { ok: false, error: `${SYSTEM} gave no answer for ${write.what} in its $batch response` };
  if (item.status === 200 || item.status === 201) {
    try {
      return { ok: true, value: context.parse(context.table, item.body) };
    } catch (error) {
      return { ok: false, error: (error as Error).message, code: 'invalid' };
    }
  }
  const message = remoteMessage({ text: JSON.stringify(item.body ?? '') });
  if (item.status === 409 || item.status === 412) {
    return { ok: false, error: new ConcurrencyError(SYSTEM, write.what).message, code: 'conflict' };
  }
  if (item.status === 404)
    return { ok: false, error: `${write.what} no longer exists in ${SYSTEM}.`, code: 'not_found' };
  return {
    ok: false,
    error: `${SYSTEM} answered ${item.status} for ${write.what}: ${explainRemote(SYSTEM, message)}`,
  };
}

import { z } from 'zod';

/** One operation of a Business Central JSON $batch; `url` is relative to the API service root. */
export interface BcBatchOperation {
  id: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/** BC accepts at most 100 operations per $batch request. */
export const BC_MAX_BATCH = 100;

export function bcBatchBody(operations: readonly BcBatchOperation[]): string {
  return JSON.stringify({
    requests: operations.map((op) => ({
      id: op.id,
      method: op.method,
      url: op.url,
      headers: op.body === undefined ? op.headers : { 'Content-Type': 'application/json', ...op.headers },
      body: op.body,
    })),
  });
}

export const BcBatchResponse = z.object({
  responses: z.array(
    z.object({
      id: z.string(),
      status: z.number().int(),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
    }),
  ),
});
export type BcBatchItem = z.infer<typeof BcBatchResponse>['responses'][number];

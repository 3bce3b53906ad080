/** How hard to try before giving up on a throttled or briefly unavailable API. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** No retry is scheduled that would end later than this after the first attempt. */
  maxTotalMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  maxTotalMs: 60_000,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
};

/** 429 throttled, 503 unavailable, 504 gateway timeout, 408 request timeout. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 503, 504]);

/**
 * 429 and 503 mean the request was not processed, so even a create may be sent again. After 408/504 a
 * create may already have happened: only idempotent requests are repeated then.
 */
export function mayRetry(status: number, idempotent: boolean): boolean {
  return status === 429 || status === 503 || (RETRYABLE_STATUSES.has(status) && idempotent);
}

/** Retry-After as delay-seconds or an HTTP date, in milliseconds from `nowMs`; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Exponential backoff with full jitter (a random delay up to the exponential cap) after `retry` retries. */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(random() * cap);
}

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
  maxTotalMs: 120_000,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
};

/** 429 throttled; 408 request timeout; 500, 502, 503, 504 server or gateway trouble. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/**
 * 429 means the request was not processed, so even a create may be sent again. After 408 or a 5xx a
 * create may already have happened: only idempotent requests (reads, and writes guarded by If-Match)
 * are repeated then; a create is not repeated blindly.
 */
export function mayRetry(status: number, idempotent: boolean): boolean {
  return status === 429 || (RETRYABLE_STATUSES.has(status) && idempotent);
}

/** GET always; PATCH, PUT and DELETE when If-Match makes a repeat harmless; never a POST by default. */
export function isIdempotent(method: string, headers: Record<string, string> = {}): boolean {
  if (method === 'GET') return true;
  if (method !== 'PATCH' && method !== 'PUT' && method !== 'DELETE') return false;
  return Object.keys(headers).some((name) => name.toLowerCase() === 'if-match');
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

import { pino } from 'pino';

/**
 * What never reaches a log line, at any depth (pino's redact paths only reach the depths they list).
 * Every logged object is walked, bounded in depth and size: values under secret-looking keys become
 * "[redacted]", and strings are scrubbed of the secrets they may carry (connection-string passwords,
 * bearer tokens, `client_secret=` in a body or query).
 */
export const CENSOR = '[redacted]';
const MAX_DEPTH = 8;
const MAX_NODES = 2_000;

/** Key names (case and `-`/`_` ignored) whose values are secrets wherever they appear. */
const SECRET_KEY =
  /^(?:.*(?:password|passwd|secret|credential)s?|pwd|token|accesstoken|refreshtoken|idtoken|authorization|proxyauthorization|cookie|setcookie|apikey|xapikey|accountkey|sharedaccesskey|connectionstring|sig|signature)$/;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.toLowerCase().replace(/[-_]/g, ''));
}

const STRING_RULES: Array<[RegExp, string]> = [
  // scheme://user:password@host (MongoDB, HTTP proxies, AMQP…)
  [/([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):[^\s@/]*@/gi, '$1:****@'],
  // Bearer / Basic credentials in a header value or a message
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${CENSOR}`],
  // key=value secrets in query strings, form bodies and ADO-style connection strings
  [
    /\b(password|pwd|client_secret|clientsecret|secret|access_token|refresh_token|id_token|token|sig|accountkey|sharedaccesskey|apikey|api_key)=([^&;\s"']+)/gi,
    `$1=${CENSOR}`,
  ],
  // a JWT on its own
  [/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, CENSOR],
];

export function scrubString(text: string): string {
  let out = text;
  for (const [pattern, replacement] of STRING_RULES) out = out.replace(pattern, replacement);
  return out;
}

/** A copy of `value` with secrets removed; the input is never changed. Errors become plain objects. */
export function redactDeep(value: unknown): unknown {
  let nodes = 0;
  const seen = new WeakSet<object>();
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return scrubString(v);
    if (v === null || typeof v !== 'object') return v;
    if (v instanceof Date) return v;
    if (Buffer.isBuffer(v)) return `[${v.length} bytes]`;
    if (++nodes > MAX_NODES) return '[truncated]';
    if (depth >= MAX_DEPTH) return '[nested too deep]';
    if (seen.has(v)) return '[circular]';
    seen.add(v);
    const source = v instanceof Error ? pino.stdSerializers.err(v) : v;
    if (Array.isArray(source)) return source.map((item) => walk(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(source as Record<string, unknown>)) {
      out[key] =
        isSecretKey(key) && item !== null && item !== undefined && typeof item !== 'boolean'
          ? CENSOR
          : walk(item, depth + 1);
    }
    // Headers objects (fetch's Headers, Maps) keep their entries out of Object.entries.
    if (typeof (source as { forEach?: unknown }).forEach === 'function' && !Array.isArray(source)) {
      const entries: Record<string, unknown> = {};
      try {
        (source as { forEach(cb: (value: unknown, key: unknown) => void): void }).forEach((item, key) => {
          const k = String(key);
          entries[k] = isSecretKey(k) ? CENSOR : walk(item, depth + 1);
        });
      } catch {
        // not a map-like after all
      }
      if (Object.keys(entries).length > 0) Object.assign(out, entries);
    }
    return out;
  };
  return walk(value, 0);
}

import { randomBytes } from 'node:crypto';

/** A secret that cannot appear in a log by chance. */
export const secret = (label: string): string => `${label}-${randomBytes(12).toString('base64url')}`;

/** Anything shaped like a JWT (header.payload.) or a bearer credential. */
export const TOKEN_SHAPES = [/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./, /Bearer\s+[A-Za-z0-9._~+/-]{8,}/i];

/** Every form in which `value` could leak: as is, URL-encoded, JSON-escaped. */
export function formsOf(value: string): string[] {
  return [...new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)])];
}

/** The secrets (in any form) and token shapes found in `text`; empty when it is clean. */
export function leaks(text: string, secrets: Record<string, string>): string[] {
  const found = Object.entries(secrets).flatMap(([name, value]) =>
    formsOf(value).some((form) => text.includes(form)) ? [name] : [],
  );
  return [...found, ...TOKEN_SHAPES.filter((p) => p.test(text)).map((p) => `token shape ${p.source}`)];
}

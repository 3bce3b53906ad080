import type { z } from 'zod';
import { ConnectorError } from '../../core/ports/errors.js';
import type { HttpResponse, RemoteSystem } from './http-client.js';
import { permissionProblem } from './permission-errors.js';

/** Shared OData v4 pieces: literals, URLs, and turning whatever came back into data or a clear error. */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isGuid = (value: string): boolean => GUID.test(value);

/** A string literal: single quotes, embedded quotes doubled ('O''Brien'). */
export const quote = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** A key in a resource path: customers(5d11…). Refuses anything but a GUID so no input can bend the path. */
export function keySegment(system: RemoteSystem, id: string): string {
  if (!isGuid(id)) throw new ConnectorError(system, `"${id}" is not a record id (a GUID) for ${system}`);
  return `(${id.toLowerCase()})`;
}

/** ?$filter=…&$top=… with values percent-encoded (spaces as %20, never '+', which OData does not decode). */
export function withQuery(url: string, params: Record<string, string | number | undefined>): string {
  const parts = Object.entries(params)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`);
  return parts.length === 0 ? url : `${url}${url.includes('?') ? '&' : '?'}${parts.join('&')}`;
}

type ErrorBody = { error?: { code?: string; message?: string } };

/** The remote system's own explanation: OData error.message, an HTML page title, or the start of the text. */
export function remoteMessage(response: Pick<HttpResponse, 'text'>): string {
  const text = response.text.trim();
  if (text === '') return 'no details given';
  try {
    const body = JSON.parse(text) as ErrorBody;
    if (body.error?.message) return body.error.message;
  } catch {
    // not JSON: fall through to HTML / plain text
  }
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
  if (title) return `an HTML page titled "${title}"`;
  return text.replace(/\s+/g, ' ').slice(0, 200);
}

/** A non-success answer as the error the user sees: who answered what, in the remote system's words. */
export function failure(system: RemoteSystem, response: HttpResponse, what: string): ConnectorError {
  const advice =
    response.status === 429
      ? ' (still throttled after retrying; try again in a few minutes)'
      : response.status === 401
        ? ' (the token was refused even after getting a new one: check the app registration and its permissions)'
        : '';
  const said = remoteMessage(response);
  const plain = permissionProblem(system, said);
  if (plain)
    return new ConnectorError(
      system,
      `${system} refused ${what}: ${plain}. Details: ${system} answered ${response.status}: ${said}`,
      response.status,
    );
  return new ConnectorError(
    system,
    `${system} answered ${response.status} for ${what}: ${said}${advice}`,
    response.status,
  );
}

/**
 * The JSON body validated by `schema`. An HTML error page, a truncated body, an OData error object sent
 * with 200, or a missing field each become a ConnectorError that names the record concerned.
 */
export function readJson<S extends z.ZodType>(
  system: RemoteSystem,
  response: HttpResponse,
  schema: S,
  what: string,
): z.infer<S> {
  const text = response.text.trim();
  if (text.startsWith('<')) {
    throw new ConnectorError(
      system,
      `${system} sent ${remoteMessage(response)} instead of data for ${what}`,
      response.status,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    const reason = (error as Error).message;
    throw new ConnectorError(
      system,
      `${system} sent an incomplete or malformed response for ${what} (${reason})`,
      response.status,
    );
  }
  return checkBody(system, body, schema, what, response.status);
}

/** An already parsed body (a $batch item, for instance) checked as readJson does. */
export function checkBody<S extends z.ZodType>(
  system: RemoteSystem,
  body: unknown,
  schema: S,
  what: string,
  status?: number,
): z.infer<S> {
  const odataError = (body as ErrorBody | null)?.error;
  if (odataError && typeof odataError === 'object') {
    const code = odataError.code ? ` [${odataError.code}]` : '';
    throw new ConnectorError(
      system,
      `${system} reported an error for ${what}: ${odataError.message ?? 'no message'}${code}`,
      status,
    );
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new ConnectorError(
      system,
      `${system} sent ${what} ${describeIssue(parsed.error.issues[0])}`,
      status,
    );
  return parsed.data;
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'in an unexpected shape';
  const field = issue.path.map(String).join('.');
  if (issue.code === 'invalid_type' && issue.message.includes('undefined'))
    return `without the required field "${field}"`;
  return `with an unexpected "${field}": ${issue.message}`;
}

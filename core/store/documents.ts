import type { AbstractCursor, Document } from 'mongodb';
import type { z } from 'zod';
import { DomainError, ErrorCode } from '../errors.js';

/**
 * Reading documents back from MongoDB (style.md §5: zod at every boundary). A document that no longer
 * matches its schema — edited by hand, written by an older version — is refused with a message that
 * says where it is, rather than travelling through the app half-valid.
 */
export class CorruptDocumentError extends Error {
  override readonly name = 'CorruptDocumentError';
  constructor(
    readonly where: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      `A stored document in ${where} does not match what Coupling Assistant expects (${detail}). ` +
        'It was not used; fix or remove it in MongoDB.',
      options,
    );
  }
}

function describeId(doc: Document): string {
  const id = doc['id'] ?? doc['_id'];
  return id === undefined ? '' : ` (id ${String(id)})`;
}

/** Validates a stored document against its schema and returns it without MongoDB's `_id`. */
export function parseDoc<T>(schema: z.ZodType<T>, doc: Document, where?: string): T;
export function parseDoc<T>(schema: z.ZodType<T>, doc: Document | null, where?: string): T | null;
export function parseDoc<T>(schema: z.ZodType<T>, doc: Document | null, where = 'the store'): T | null {
  if (doc === null) return null;
  const { _id: _ignored, ...rest } = doc;
  const result = schema.safeParse(rest);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.length ? issue.path.join('.') : '(document)';
  throw new CorruptDocumentError(`${where}${describeId(doc)}`, `${path}: ${issue?.message ?? 'invalid'}`, {
    cause: result.error,
  });
}

export function parseDocs<T>(schema: z.ZodType<T>, docs: readonly Document[], where?: string): T[] {
  return docs.map((d) => parseDoc(schema, d, where));
}

/** True for MongoDB's duplicate key error (code 11000), from single and bulk writes alike. */
export function isDuplicateKeyError(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const err = e as { code?: unknown; writeErrors?: unknown };
  if (err.code === 11000) return true;
  const writeErrors = Array.isArray(err.writeErrors) ? err.writeErrors : [];
  return writeErrors.some((w) => (w as { code?: unknown }).code === 11000);
}

/**
 * A value that is about to become part of a MongoDB filter. Only plain, bounded strings pass, so card
 * data such as `{"$ne": null}` can never turn into a query operator.
 */
export function filterString(value: unknown, what: string, maxLength = 200): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    throw new DomainError(
      ErrorCode.InvalidInput,
      `${what} must be text of 1 to ${maxLength} characters; nothing was changed.`,
    );
  }
  return value;
}

/** A bounded page size from whatever the caller asked for. */
export function clampLimit(limit: number | undefined, def: number, max: number): number {
  if (limit === undefined || !Number.isFinite(limit)) return def;
  return Math.min(Math.max(Math.trunc(limit), 1), max);
}

/**
 * A cursor's documents in pages of `size` (the last one may be shorter), each mapped by `read`; a
 * document `read` maps to undefined is left out. The cursor is closed however the caller stops.
 */
export async function* cursorPages<D, R>(
  cursor: AbstractCursor<D>,
  size: number,
  read: (doc: D) => R | undefined,
): AsyncGenerator<R[]> {
  try {
    let page: R[] = [];
    for await (const doc of cursor) {
      const value = read(doc);
      if (value !== undefined) page.push(value);
      if (page.length === size) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  } finally {
    await cursor.close();
  }
}

import { Long, type Document } from 'bson';
import { CommandError } from '../errors.js';
import { isPlainDoc } from '../storage/keys.js';

/** Small validators for command arguments: bad input fails the command with a clear message. */
export function collName(body: Document, command: string): string {
  const name = body[command];
  if (typeof name !== 'string' || name.length === 0) {
    throw new CommandError('InvalidNamespace', `collection name for '${command}' must be a non-empty string`);
  }
  return name;
}

export function optDoc(body: Document, field: string): Document | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (!isPlainDoc(v)) throw new CommandError('BadValue', `'${field}' must be a document`);
  return v;
}

export function optDocs(body: Document, field: string): Document[] {
  const v = body[field];
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every(isPlainDoc))
    throw new CommandError('BadValue', `'${field}' must be an array of documents`);
  return v;
}

export function optNumber(body: Document, field: string): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  const n = v instanceof Long ? v.toNumber() : v;
  if (typeof n !== 'number' || Number.isNaN(n))
    throw new CommandError('BadValue', `'${field}' must be a number`);
  return n;
}

export function toBigInt(v: unknown): bigint {
  if (v instanceof Long) return v.toBigInt();
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'bigint') return v;
  throw new CommandError('BadValue', 'cursor id must be an integer');
}

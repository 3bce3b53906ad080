import { Binary, Decimal128, Long, ObjectId, type Document } from 'bson';
import { decimalText, longText } from '../bson-order.js';
import { CommandError } from '../errors.js';

/** Builds mongod's E11000 error, e.g. `... index: email_1 dup key: { email: "a@b" }`, with keyPattern/keyValue. */
export function duplicateKeyError(
  ns: string,
  indexName: string,
  keyPattern: Document,
  keyValue: Document,
): CommandError {
  const shown = Object.entries(keyValue)
    .map(([k, v]) => `${k}: ${formatValue(v)}`)
    .join(', ');
  const msg = `E11000 duplicate key error collection: ${ns} index: ${indexName} dup key: { ${shown} }`;
  return new CommandError('DuplicateKey', msg, { keyPattern, keyValue });
}

function formatValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof ObjectId) return `ObjectId('${v.toHexString()}')`;
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (v instanceof Long) return longText(v);
  if (v instanceof Decimal128) return decimalText(v);
  if (v instanceof Binary)
    return `BinData(${v.sub_type}, ${Buffer.from(v.value()).toString('hex').toUpperCase()})`;
  if (Array.isArray(v)) return `[ ${v.map(formatValue).join(', ')} ]`;
  if (typeof v === 'object') {
    const parts = Object.entries(v as Document).map(([k, x]) => `${k}: ${formatValue(x)}`);
    return `{ ${parts.join(', ')} }`;
  }
  return String(v);
}

import type { Document } from 'bson';

/** A command document's first key names the command (without listing every key). */
export function commandName(body: Document): string {
  for (const key in body) return key;
  return '';
}

import type { BcTable } from '../../core/model/tables.js';
import { bcTableFor } from './words.js';

/** A mapping as the user names it: by its BC table ("customers") or by its name ("ITEM-PRODUCT"). */
export type MappingRef = { table: BcTable } | { name: string };

export function mappingNameFor(word: string): MappingRef {
  const table = bcTableFor(word);
  return table ? { table } : { name: word.toUpperCase() };
}

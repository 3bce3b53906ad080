import { bcName } from '../../core/coupling/labels.js';
import type { BcTable } from '../../core/model/tables.js';
import type { BotServices } from '../services.js';

/** Display names of BC records by id, for the few rows a card shows (one read). */
export async function bcNames(
  services: Pick<BotServices, 'bc'>,
  table: BcTable,
  ids: ReadonlyArray<string | null>,
): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (wanted.length === 0) return new Map();
  const records = await services.bc.getManyByIds(table, wanted);
  return new Map(records.map((r) => [r.id, bcName(r)]));
}

/** Card text fields are bounded; names from the systems are not. */
export const clip = (text: string, max = 300): string =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

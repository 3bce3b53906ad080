import type { ReadCosts } from '../ports/business-central.js';

/** How a full synchronization reads one side: the whole table page by page, or its coupled records by id. */
export type ReadWay = 'paged' | 'by-id';

export interface ReadChoiceInput {
  /** Couplings of the mapping (each needs its record on this side). */
  coupled: number;
  /** The run lists the whole table anyway (Synch. Only Coupled Records off, this side a source). */
  listsTableAnyway: boolean;
}

/** Requests a paged read of `rows` rows takes (an empty table still takes one). */
export const pagedRequests = (rows: number, pageSize: number): number =>
  Math.max(1, Math.ceil(rows / pageSize));

/** Requests reading `ids` records by id takes. */
export const byIdRequests = (ids: number, idsPerRequest: number): number => Math.ceil(ids / idsPerRequest);

/**
 * Paged or by id, whichever needs fewer requests. Without read costs (the sandbox, where reads are not
 * requests) records are read by id. When the table is listed anyway, paging costs nothing extra; when
 * the coupled records fit in one by-id request, nothing beats it; otherwise the table is counted (one
 * request) and the two compared.
 */
export async function chooseRead<Table extends string>(
  costs: ReadCosts<Table> | undefined,
  table: Table,
  input: ReadChoiceInput,
): Promise<{ way: ReadWay; tableRows?: number }> {
  if (!costs) return { way: 'by-id' };
  if (input.listsTableAnyway) return { way: 'paged' };
  const byId = byIdRequests(input.coupled, costs.idsPerRequest(table));
  if (byId <= 1) return { way: 'by-id' };
  const tableRows = await costs.count(table);
  return { way: pagedRequests(tableRows, costs.pageSize) < byId ? 'paged' : 'by-id', tableRows };
}

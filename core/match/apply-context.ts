import type { Actor } from '../model/actor.js';
import type { IntegrationTableMapping } from '../model/mapping.js';
import type { MatchDeps } from './match-deps.js';
import type { MatchRun, RowResult, StoredRow } from './run-documents.js';

export interface PageContext {
  deps: MatchDeps;
  run: MatchRun;
  mapping: IntegrationTableMapping;
  actor: Actor;
  jobId: string;
  /** Row ids chosen with "Approve selected"; null for "Approve all". */
  selected: ReadonlySet<string> | null;
}

export interface Todo {
  index: number;
  row: StoredRow;
  /** The Dataverse row to couple with: the proposed one, or the one created for a Create New row. */
  dvId: string | null;
}

export const originOf = (ctx: PageContext): string => `match:${ctx.run.id}`;

export const targetOf = (row: StoredRow): string | null =>
  row.outcome.kind === 'proposed' ? row.outcome.dvId : (row.createdDvId ?? null);

export const result = (
  status: RowResult['status'],
  reason: string,
  dvId: string | null = null,
): RowResult => ({
  status,
  reason,
  dvId,
});

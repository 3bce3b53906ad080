import { flowsToBusinessCentral, flowsToDataverse } from '../model/mapping.js';
import type { ReadCosts } from '../ports/business-central.js';
import type { RunContext } from './run-context.js';

/** Rows of a table as its connector counts them, or null when it cannot (the sandbox) or the count fails. */
async function rows<T extends string>(costs: ReadCosts<T> | undefined, table: T): Promise<number | null> {
  if (!costs) return null;
  // The count only feeds the progress shown: a failing count leaves the run without a percentage, nothing more.
  return costs.count(table).catch(() => null);
}

/**
 * Records a full synchronization will examine: every coupling, and — when uncoupled records are created
 * (Synch. Only Coupled Records off) — the uncoupled rows of each side it lists, from that side's count.
 * An estimate (records change while it runs); null when a listed side cannot be counted.
 */
export async function estimateFullRun(ctx: RunContext): Promise<number | null> {
  const { deps, mapping } = ctx;
  const coupled = await deps.couplings.count(mapping.name);
  if (mapping.syncOnlyCoupled) return coupled;
  let total = coupled;
  if (flowsToDataverse(mapping.direction)) {
    const bc = await rows(deps.bc.readCosts, mapping.bcTable);
    if (bc === null) return null;
    total += Math.max(0, bc - coupled);
  }
  if (flowsToBusinessCentral(mapping.direction)) {
    const dv = await rows(deps.dv.readCosts, mapping.dvTable);
    if (dv === null) return null;
    total += Math.max(0, dv - coupled);
  }
  return total;
}

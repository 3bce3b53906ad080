import type { CoupleResult } from '../../core/coupling/coupling-service.js';
import { isDomainError } from '../../core/errors.js';
import type { FieldValue } from '../../core/model/record.js';
import { synchronizeAfterCoupling } from '../../core/sync/after-coupling.js';
import type { BotServices } from '../services.js';
import type { TurnRequest } from '../turn.js';

/** Changed fields the outcome card lists (the record card shows the rest). */
const CHANGES = 20;

const shown = (v: FieldValue): string => (v === null || v === '' ? '(empty)' : String(v));

/**
 * Synchronize After Coupling, run right after the coupling: lines for the coupling's outcome card.
 * The coupling stands whatever happens here, so a refused or failed synchronization is reported in
 * those lines instead of replacing the whole answer with an error.
 */
export async function syncAfterCouplingLines(
  result: CoupleResult,
  turn: TurnRequest,
  services: Pick<BotServices, 'sync'>,
): Promise<string[]> {
  const label = `Synchronize After Coupling (${result.syncAfterCoupling})`;
  try {
    const run = await synchronizeAfterCoupling(services.sync, turn.actor, result);
    const record = run?.records[0];
    if (!run || !record) return [];
    const sides = [
      ...new Set(record.changes.map((c) => (c.side === 'dv' ? 'Dataverse' : 'Business Central'))),
    ];
    const where = sides.length > 0 ? ` in ${sides.join(' and ')}` : '';
    const lines = [`${label}: ${record.outcome}${where}.`];
    if (record.message) lines.push(record.message);
    for (const c of record.changes.slice(0, CHANGES)) {
      lines.push(`${c.side === 'dv' ? c.dvField : c.bcField}: ${shown(c.old)} → ${shown(c.new)}`);
    }
    if (record.changes.length > CHANGES) lines.push(`…and ${record.changes.length - CHANGES} more fields.`);
    return lines;
  } catch (e) {
    if (isDomainError(e)) return [`${label} did not run: ${e.message}`];
    turn.logger.error({ err: e }, 'Synchronize After Coupling failed');
    return [`${label} did not run because of an unexpected error. Reference ${turn.correlationId}.`];
  }
}

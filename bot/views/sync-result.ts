import type { SyncResultCardData } from '../../cards/index.js';
import type { FieldChange } from '../../core/sync/fields.js';
import type { RecordResult, SyncRunResult } from '../../core/sync/outcome.js';
import type { Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import { card } from './cards.js';
import { bcNames, clip } from './sync-names.js';

/** Records the result card lists one by one; the rest are counted. */
const SHOWN = 25;
/** Changed fields listed per record. */
const CHANGES = 60;

const SYSTEM = { bc: 'Business Central', dv: 'Dataverse' } as const;

/** The system that was written: the field names people know there. */
function target(changes: readonly FieldChange[]): string {
  const sides = [...new Set(changes.map((c) => c.side))].sort();
  return sides.map((s) => SYSTEM[s]).join(' and ');
}

function recordRow(r: RecordResult, names: Map<string, string>) {
  return {
    number: r.bcNumber || '(unknown)',
    name: clip((r.bcId && names.get(r.bcId)) || ''),
    outcome:
      r.coupled && r.outcome === 'Inserted'
        ? 'Inserted and coupled'
        : r.waitingFor
          ? `${r.outcome}: waiting for ${r.waitingFor}`
          : r.outcome,
    target: target(r.changes),
    message: clip(r.message ?? '', 4000),
    changes: r.changes.slice(0, CHANGES).map((c) => ({
      field: clip(c.side === 'dv' ? c.dvField : c.bcField),
      from: c.old,
      to: c.new,
    })),
  };
}

/** A job that wrote nothing has nothing to undo: no Undo button. */
const changedSomething = (c: SyncRunResult['job']['counters']): boolean =>
  c.inserted + c.modified + c.deleted + c.coupled + c.uncoupled > 0;

export interface ResultWording {
  /** "Send data update to Dataverse", "Synchronize Modified Records · Bidirectional", … */
  direction: string;
  /** A sentence above the records; by default the reason a job did not finish. */
  summary?: string;
}

/** The result card of a synchronization job: counters, then each record with its changed fields old → new. */
export async function syncResultData(
  result: SyncRunResult,
  services: Pick<BotServices, 'bc' | 'mappings'>,
  wording: ResultWording,
): Promise<SyncResultCardData> {
  const { job, records } = result;
  const shown = records.slice(0, SHOWN);
  const mapping = await services.mappings.get(job.mapping);
  const names = await bcNames(
    services,
    mapping.bcTable,
    shown.map((r) => r.bcId),
  );
  return {
    mapping: job.mapping,
    direction: wording.direction,
    by: job.startedBy,
    at: job.finishedAt ?? job.startedAt,
    counters: job.counters,
    records: shown.map((r) => recordRow(r, names)),
    moreRecords: records.length - shown.length + result.recordsOmitted,
    summary:
      wording.summary ??
      (job.status === 'Finished'
        ? ''
        : job.status === 'Cancelled'
          ? job.message // "Cancelled by … at …" already says it
          : `${job.status}: ${job.message}`),
    ...(changedSomething(job.counters) ? { undoJobId: job.id } : {}),
  };
}

export async function syncResultCard(
  result: SyncRunResult,
  services: Pick<BotServices, 'bc' | 'mappings'>,
  wording: ResultWording,
): Promise<Reply> {
  return card('syncResult', await syncResultData(result, services, wording));
}

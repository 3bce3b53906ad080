import type { SyncDirectionCardData } from '../../cards/index.js';
import type { IntegrationTableMapping } from '../../core/model/mapping.js';
import { OPTION_WORDS, type SyncChoice } from '../../core/sync/sync-service.js';
import { clip } from './sync-names.js';

type ChoiceRecord = SyncChoice['records'][number];

/** What the direction card says beside each record: which side changed, or why it cannot be synchronized. */
function changedText(r: ChoiceRecord): string {
  if (r.problem) return r.problem;
  const rec = r.recommendation;
  if (!rec) return '';
  if (rec.conflictFields.length > 0) return `Changed on both sides: ${rec.conflictFields.join(', ')}`;
  if (rec.modified.bc && rec.modified.dv) return 'Changed in Business Central and in Dataverse';
  if (rec.modified.bc) return 'Changed in Business Central';
  if (rec.modified.dv) return 'Changed in Dataverse';
  return 'Not changed since the last synchronization';
}

function explanation(choice: SyncChoice): string {
  const [only] = choice.records;
  if (choice.records.length === 1 && only) return only.recommendation?.reason ?? only.problem ?? '';
  const conflicts = choice.records.filter((r) => r.recommendation?.conflictFields.length).length;
  if (choice.recommended === null) {
    return `${conflicts} of these ${choice.records.length} records were changed on both sides in the same fields: choose which side wins for all of them.`;
  }
  return `Recommended for these ${choice.records.length} records: ${OPTION_WORDS[choice.recommended]}, from which side changed since the last synchronization.`;
}

/** Synchronize Now's direction card (domain.md §3): core's options and recommendation, every record's id. */
export function directionCardData(
  m: IntegrationTableMapping,
  choice: SyncChoice,
  labels: ReadonlyMap<string, { number: string; name: string }>,
  errorId?: string,
): SyncDirectionCardData {
  return {
    mapping: m.name,
    bcTable: m.bcTable,
    dvTable: m.dvTable,
    records: choice.records.map((r) => ({
      bcId: r.bcId,
      number: labels.get(r.bcId)?.number || r.bcNumber || '(unknown)',
      name: clip(labels.get(r.bcId)?.name ?? ''),
      changed: clip(changedText(r)),
    })),
    choices: choice.options,
    recommended: choice.recommended,
    explanation: clip(explanation(choice), 4000),
    ...(errorId ? { errorId } : {}),
  };
}

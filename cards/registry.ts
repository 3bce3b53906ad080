import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ConfirmCardData, ErrorCardData, HelpCardData, OutcomeCardData } from './schemas/general.js';
import { RecordCardData, SetUpCouplingCardData } from './schemas/coupling.js';
import { MappingFieldsCardData, MappingsCardData } from './schemas/mappings.js';
import { SyncDirectionCardData, SyncResultCardData } from './schemas/sync.js';
import { SyncPreviewCardData } from './schemas/preview.js';
import { JobRunningCardData, JobsCardData, SyncErrorsCardData } from './schemas/jobs.js';
import { MatchCriteriaCardData } from './schemas/match.js';
import { MatchResultsCardData } from './schemas/match-results.js';
import { ImportReportCardData } from './schemas/import.js';

/** Templates are read once, at module load; a missing or broken file fails start-up, not a user's click. */
function template(file: string): unknown {
  const text = readFileSync(new URL(`./templates/${file}`, import.meta.url), 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new Error(`Card template cards/templates/${file} is not valid JSON`, { cause: e });
  }
}

interface CardDefinition {
  schema: z.ZodType;
  template: unknown;
}

/** Every card of the product: its data schema and its template (style.md §4). */
export const CARDS = {
  help: { schema: HelpCardData, template: template('help.json') },
  record: { schema: RecordCardData, template: template('record.json') },
  setUpCoupling: { schema: SetUpCouplingCardData, template: template('set-up-coupling.json') },
  confirm: { schema: ConfirmCardData, template: template('confirm.json') },
  outcome: { schema: OutcomeCardData, template: template('outcome.json') },
  error: { schema: ErrorCardData, template: template('error.json') },
  mappings: { schema: MappingsCardData, template: template('mappings.json') },
  mappingFields: { schema: MappingFieldsCardData, template: template('mapping-fields.json') },
  syncDirection: { schema: SyncDirectionCardData, template: template('sync-direction.json') },
  syncResult: { schema: SyncResultCardData, template: template('sync-result.json') },
  syncPreview: { schema: SyncPreviewCardData, template: template('sync-preview.json') },
  jobRunning: { schema: JobRunningCardData, template: template('job-running.json') },
  jobs: { schema: JobsCardData, template: template('jobs.json') },
  syncErrors: { schema: SyncErrorsCardData, template: template('sync-errors.json') },
  matchCriteria: { schema: MatchCriteriaCardData, template: template('match-criteria.json') },
  matchResults: { schema: MatchResultsCardData, template: template('match-results.json') },
  importReport: { schema: ImportReportCardData, template: template('import-report.json') },
} as const satisfies Record<string, CardDefinition>;

export type CardName = keyof typeof CARDS;
/** What `renderCard(name, data)` accepts for a card: the input side of its schema (defaults optional). */
export type CardData<N extends CardName> = z.input<(typeof CARDS)[N]['schema']>;

export const CARD_NAMES = Object.keys(CARDS) as CardName[];

/** Data type of each card, named for callers: `renderCard('record', data satisfies RecordCardData)`. */
export type { HelpCardData, ConfirmCardData, OutcomeCardData, ErrorCardData } from './schemas/general.js';
export type { RecordCardData, SetUpCouplingCardData } from './schemas/coupling.js';
export type { MappingsCardData, MappingFieldsCardData } from './schemas/mappings.js';
export type { SyncDirectionCardData, SyncResultCardData } from './schemas/sync.js';
export type { JobRunningCardData, JobsCardData, SyncErrorsCardData } from './schemas/jobs.js';
export type { MatchCriteriaCardData } from './schemas/match.js';
export type { MatchResultsCardData } from './schemas/match-results.js';
export type { ImportReportCardData } from './schemas/import.js';
export type { SyncPreviewCardData } from './schemas/preview.js';

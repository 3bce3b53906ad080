/** The cards module's public surface for the bot. */
export {
  renderCard,
  cardAttachment,
  CardRenderError,
  MAX_CARD_BYTES,
  ADAPTIVE_CARD_CONTENT_TYPE,
} from './render.js';
export type { AdaptiveCardJson, CardRenderFailure } from './render.js';
export { CARD_NAMES, type CardName, type CardData } from './registry.js';
export { Verb, isVerb, type VerbKey } from './verbs.js';
export { chosenNear, InputId, selectedRowIds, submittedCriteria, type SubmittedCriteria } from './inputs.js';
export { formatWhen } from './schemas/common.js';
export { DEFAULT_HELP_GROUPS, type HelpGroup, type HelpCommand } from './help-content.js';
export { MAX_CANDIDATES } from './schemas/coupling.js';
export { MAX_CRITERIA_FIELDS } from './schemas/match.js';
export { MATCH_PAGE_SIZE } from './schemas/match-results.js';
export { MAX_IMPORT_ROWS } from './schemas/import.js';
export { MAX_ERRORS_PER_CARD } from './schemas/jobs.js';
export type { RunsChart } from './schemas/charts.js';
export type * from './card-types.js';

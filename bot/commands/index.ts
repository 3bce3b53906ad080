import type { Command } from './command.js';
import { cancelJob } from './cancel-job.js';
import { undoJob } from './undo-job.js';
import { checkConnection } from './check-connection.js';
import { couple } from './couple.js';
import { coupleFromDataverse } from './couple-from-dataverse.js';
import { coupleTo } from './couple-to.js';
import { errors } from './errors.js';
import { errorsRecurring } from './errors-recurring.js';
import { help } from './help.js';
import { importRows } from './import.js';
import { mappingDeletionConflicts } from './mapping-deletion-conflicts.js';
import { mappingDirection } from './mapping-direction.js';
import { mappingFields } from './mapping-fields.js';
import { mappingReset } from './mapping-reset.js';
import { mappingSyncOnlyCoupled } from './mapping-sync-only-coupled.js';
import { mappingUpdateConflicts } from './mapping-update-conflicts.js';
import { mappings } from './mappings.js';
import { match } from './match.js';
import { matchModified } from './match-modified.js';
import { sandboxAdd } from './sandbox-add.js';
import { sandboxDelete } from './sandbox-delete.js';
import { sandboxEdit } from './sandbox-edit.js';
import { sandboxReset } from './sandbox-reset.js';
import { show } from './show.js';
import { status } from './status.js';
import { sync } from './sync.js';
import { syncAll } from './sync-all.js';
import { syncAllPreview } from './sync-all-preview.js';
import { syncModified } from './sync-modified.js';
import { syncModifiedPreview } from './sync-modified-preview.js';
import { uncouple } from './uncouple.js';
import { uncoupleAll } from './uncouple-all.js';
import { uncoupleAllPreview } from './uncouple-all-preview.js';

/**
 * THE command table (style.md §2). The router takes the first command whose grammar matches, so a
 * more specific grammar comes before a more general one with the same first word.
 */
export const COMMANDS: readonly Command[] = [
  help,
  show,
  coupleTo,
  coupleFromDataverse,
  couple,
  uncoupleAllPreview,
  uncoupleAll,
  uncouple,
  mappings,
  mappingDirection,
  mappingSyncOnlyCoupled,
  mappingUpdateConflicts,
  mappingDeletionConflicts,
  mappingReset,
  mappingFields,
  syncModifiedPreview,
  syncAllPreview,
  syncModified,
  syncAll,
  sync,
  status,
  cancelJob,
  undoJob,
  checkConnection,
  errorsRecurring,
  errors,
  matchModified,
  match,
  importRows,
  sandboxEdit,
  sandboxDelete,
  sandboxAdd,
  sandboxReset,
];

import type { Action } from './action.js';
import { cancelAction } from './cancel.js';
import { coupleCreateNewAction } from './couple-create-new.js';
import { couplePickAction } from './couple-pick.js';
import { coupleSetUpAction } from './couple-set-up.js';
import { errorDeleteCouplingAction } from './error-delete-coupling.js';
import { errorDeleteRecordAction } from './error-delete-record.js';
import { errorRestoreAction } from './error-restore.js';
import { errorSynchronizeAction } from './error-synchronize.js';
import { jobCancelAction } from './job-cancel.js';
import { jobUndoAction } from './job-undo.js';
import { mappingResetAction } from './mapping-reset.js';
import { mappingShowFieldsAction } from './mapping-show-fields.js';
import { matchApproveAllAction } from './match-approve-all.js';
import { matchApproveNearAction } from './match-approve-near.js';
import { matchApproveSelectedAction } from './match-approve-selected.js';
import { matchPageAction } from './match-page.js';
import { matchRejectAction } from './match-reject.js';
import { matchResetCriteriaAction } from './match-reset-criteria.js';
import { matchRunAction } from './match-run.js';
import { previewRunAction } from './preview-run.js';
import { showAction } from './show.js';
import { syncNowAction } from './sync-now.js';
import { syncRetryAction } from './sync-retry.js';
import { syncRetryAllAction } from './sync-retry-all.js';
import { syncRunAction } from './sync-run.js';
import { uncoupleAllConfirmAction } from './uncouple-all-confirm.js';
import { uncoupleConfirmAction } from './uncouple-confirm.js';
import { uncoupleRequestAction } from './uncouple-request.js';

/** THE card action table (style.md §2): one entry per verb, Action.Execute and Action.Submit alike. */
export const ACTIONS: readonly Action[] = [
  showAction,
  cancelAction,
  coupleSetUpAction,
  couplePickAction,
  coupleCreateNewAction,
  uncoupleRequestAction,
  uncoupleConfirmAction,
  uncoupleAllConfirmAction,
  mappingShowFieldsAction,
  mappingResetAction,
  syncNowAction,
  syncRunAction,
  syncRetryAction,
  syncRetryAllAction,
  errorSynchronizeAction,
  errorDeleteCouplingAction,
  errorRestoreAction,
  errorDeleteRecordAction,
  matchRunAction,
  matchResetCriteriaAction,
  matchPageAction,
  matchApproveAllAction,
  matchApproveSelectedAction,
  matchApproveNearAction,
  matchRejectAction,
  jobCancelAction,
  jobUndoAction,
  previewRunAction,
];

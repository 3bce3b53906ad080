/**
 * Verbs of every card button (style.md §4). Templates and bot action handlers both use these constants,
 * so a renamed verb cannot leave a button that nobody handles. The `ca.` prefix keeps them unique to this
 * app, because Teams routes `adaptiveCard/action` invokes by verb alone.
 */
export const Verb = Object.freeze({
  /** Show a record card again (Refresh on the record card). */
  show: 'ca.show',
  /** Close a card without doing anything; the bot replaces it with "Cancelled by …". */
  cancel: 'ca.cancel',
  /** Record card → open Set Up Coupling for that record. */
  coupleSetUp: 'ca.couple.setUp',
  /** Set Up Coupling → couple to the chosen Dataverse row. */
  couplePick: 'ca.couple.pick',
  /** Set Up Coupling → Create New in Dataverse and couple. */
  coupleCreateNew: 'ca.couple.createNew',
  /** Record card → ask for confirmation before Delete Coupling. */
  uncoupleRequest: 'ca.uncouple.request',
  uncoupleConfirm: 'ca.uncouple.confirm',
  uncoupleAllConfirm: 'ca.uncoupleAll.confirm',
  mappingShowFields: 'ca.mapping.showFields',
  /** Reset a mapping to its defaults (for a confirmation card, manager only). */
  mappingReset: 'ca.mapping.reset',
  /** Record card → Synchronize Now: the bot answers with the direction card or runs at once. */
  syncNow: 'ca.sync.now',
  /** Direction card → run the synchronization in the chosen direction. */
  syncRun: 'ca.sync.run',
  syncRetry: 'ca.sync.retry',
  syncRetryAll: 'ca.sync.retryAll',
  errorSynchronize: 'ca.error.synchronize',
  errorDeleteCoupling: 'ca.error.deleteCoupling',
  errorRestore: 'ca.error.restore',
  errorDeleteRecord: 'ca.error.deleteRecord',
  matchRun: 'ca.match.run',
  matchPage: 'ca.match.page',
  matchApproveAll: 'ca.match.approveAll',
  matchApproveSelected: 'ca.match.approveSelected',
  matchReject: 'ca.match.reject',
  /** Results card → couple one near candidate of a record nothing matched (manager only). */
  matchApproveNear: 'ca.match.approveNear',
  matchResetCriteria: 'ca.match.resetCriteria',
  /** Preview card → run the previewed synchronization or Delete Couplings for real (manager). */
  previewRun: 'ca.preview.run',
  /** Running-job card → ask the job to stop at its next chunk boundary (who started it, or a manager). */
  jobCancel: 'ca.job.cancel',
  /** Result card → undo the job's changes (who started a one-record job, or a manager). */
  jobUndo: 'ca.job.undo',
} as const);

export type VerbKey = keyof typeof Verb;
export type Verb = (typeof Verb)[VerbKey];

const ALL_VERBS: ReadonlySet<string> = new Set(Object.values(Verb));

/** Narrows untrusted text (an invoke's `action.verb`, a submit's `value.verb`) to a known verb. */
export const isVerb = (value: unknown): value is Verb => typeof value === 'string' && ALL_VERBS.has(value);

import type { ImportKind, ImportOptions, ImportReport } from '../../core/match/import-csv.js';
import type { MatchService } from '../../core/match/match-service.js';
import type { Actor } from '../../core/model/actor.js';
import type { SyncService } from '../../core/sync/sync-service.js';
import type { DownloadLimits } from '../attachments/download.js';
import type { BackgroundWork } from '../notifications/background.js';
import type { CardMessenger } from '../notifications/messenger.js';
import type { ProgressTicker } from '../notifications/progress-ticker.js';

/**
 * What the match commands and actions use besides the common services (issue 5). Built once in the
 * composition root (bot/composition/match.ts).
 */
export interface MatchBotServices {
  service: MatchService;
  /** core importRows with its dependencies bound (manager only, checked in core). */
  importRows(actor: Actor, kind: ImportKind, csvText: string, options: ImportOptions): Promise<ImportReport>;
  /** MANAGER_AAD_OBJECT_IDS: whose personal chats get a run awaiting approval. */
  managerIds: readonly string[];
  /** A run or decision still working after this many ms is answered with a progress card (0 = always). */
  progressAfterMs: number;
  download: DownloadLimits;
  /** Sends and updates cards outside the user's turn; absent where the adapter cannot (then: no progress card). */
  messenger?: CardMessenger;
  /** The running jobs' ticker: an approval's progress card shows its counters while it applies. */
  progress?: Pick<ProgressTicker, 'follow'>;
  /** Follow-ups after a turn (manager copies, card updates, Synchronize After Coupling), tracked. */
  background: BackgroundWork;
  /** Synchronize After Coupling; absent while synchronization is not wired into the bot. */
  synchronizeNow?: SyncService['synchronizeNow'];
}

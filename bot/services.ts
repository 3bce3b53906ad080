import type { ConnectionCheck } from '../core/connection/connection-check.js';
import type { CardRefs } from '../core/conversations/card-refs.js';
import type { ConversationReferences } from '../core/conversations/conversation-references.js';
import type { CouplingService } from '../core/coupling/coupling-service.js';
import type { RecordLinks } from '../core/links/record-links.js';
import type { JobControl } from '../core/jobs/job-control.js';
import type { JobRepository } from '../core/jobs/job-repository.js';
import type { ServingPorts } from '../core/mappings/availability.js';
import type { MappingService } from '../core/mappings/mapping-service.js';
import type { BusinessCentralPort } from '../core/ports/business-central.js';
import type { Clock } from '../core/ports/clock.js';
import type { Roles } from '../core/roles.js';
import type { SandboxAdmin } from '../core/sandbox-admin/sandbox-admin.js';
import type { ErrorActions } from '../core/sync/error-actions.js';
import type { SyncErrorRepository } from '../core/sync/sync-error-repository.js';
import type { PreviewService } from '../core/sync/preview/preview-service.js';
import type { SyncService } from '../core/sync/sync-service.js';
import type { UndoService } from '../core/undo/undo-service.js';
import type { MatchBotServices } from './match/match-services.js';
import type { BackgroundJobs } from './notifications/job-cards.js';

/**
 * Everything a handler may call, built once in the composition root (bot/composition/). Handlers reach
 * core only through these services — never MongoDB, never process.env.
 */
export interface BotServices {
  /** 'sandbox' when both systems are the demo tables in MongoDB; sandbox commands are refused otherwise. */
  connectorsKind: 'sandbox' | 'http';
  /** Open in Business Central / Open in Dataverse for cards; none over the sandbox. */
  links: RecordLinks;
  clock: Clock;
  roles: Roles;
  mappings: MappingService;
  /** What the connectors can serve: mappings they cannot are shown as such and refused (core's rule). */
  serving: ServingPorts;
  coupling: CouplingService;
  /** How many couplings a mapping has (for the Delete Couplings confirmation). */
  countCouplings(mapping: string): Promise<number>;
  /** Read access to BC: number ranges (`10000..30000`) to the records that exist; names for cards. */
  bc: Pick<BusinessCentralPort, 'list' | 'getByNumber' | 'getManyByIds'>;
  /** `sandbox …` commands; absent when real connectors are configured. */
  sandbox?: SandboxAdmin;
  /** `check connection` (manager only, enforced in core): tokens, one read per system, MongoDB ping. */
  connection: ConnectionCheck;
  conversations: ConversationReferences;
  cardRefs: CardRefs;
  /** Synchronize Now, Synchronize Modified Records and full synchronization (issue 4). */
  sync: SyncService;
  /** Previews of whole-mapping runs and of Delete Couplings: computed, stored, run for real (manager). */
  preview: PreviewService;
  /** Coupled Data Synchronization Errors and their actions; core re-checks each error's state. */
  syncErrors: ErrorActions & Pick<SyncErrorRepository, 'get' | 'countOpen'>;
  /** Integration Synchronization Jobs, newest first (`status`). */
  jobs: Pick<JobRepository, 'listRecent' | 'get'>;
  /** Cancel for running jobs (`cancel job <id>`, the Cancel button); core decides who may. */
  jobControl: JobControl;
  /** Undo of a job's changes (`undo job <id>`, `undo last`, the Undo button); core decides who may and what. */
  undo: UndoService;
  /** Multi-record and whole-mapping runs: answered at once with a running card, updated when done. */
  backgroundJobs: BackgroundJobs;
  /** Match-Based Coupling with approval, and bulk import (issue 5). */
  match: MatchBotServices;
}

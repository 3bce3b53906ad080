import type { AuditLog } from '../audit/audit-log.js';
import type { CouplingRepository } from '../coupling/coupling-repository.js';
import type { JobRepository } from '../jobs/job-repository.js';
import type { RunLocks } from '../jobs/run-lock.js';
import type { Logger } from '../logger.js';
import type { MappingService } from '../mappings/mapping-service.js';
import type { BusinessCentralPort } from '../ports/business-central.js';
import type { Clock } from '../ports/clock.js';
import type { DataversePort } from '../ports/dataverse.js';
import type { Roles } from '../roles.js';
import type { UndoJournal } from '../undo/journal.js';
import type { SyncErrorRepository } from './sync-error-repository.js';

/** What synchronization needs; the composition root builds it once. Only the methods used are required. */
export interface SyncDeps {
  bc: BusinessCentralPort;
  dv: DataversePort;
  mappings: Pick<MappingService, 'get' | 'list' | 'advanceHighWaterMarks'>;
  couplings: Pick<
    CouplingRepository,
    | 'getByBcId'
    | 'getByBcNumber'
    | 'getManyByBcIds'
    | 'getManyByDvIds'
    | 'list'
    | 'count'
    | 'bcIds'
    | 'setSyncStates'
    | 'insert'
    | 'deleteByBcId'
    | 'reserveCreate'
    | 'releaseCreate'
  >;
  jobs: JobRepository;
  /** One whole-mapping run per mapping across instances; the composition root always gives it. */
  runLocks?: RunLocks;
  errors: SyncErrorRepository;
  audit: Pick<AuditLog, 'record'>;
  roles: Pick<Roles, 'requireManager'>;
  clock: Clock;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** What a run changes, recorded before each write so the job can be undone; a preview gives noJournal. */
  journal?: UndoJournal;
  /** Records per batch (reads, writes, coupling updates); 1000 unless said. */
  batchSize?: number;
}

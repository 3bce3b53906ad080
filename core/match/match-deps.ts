import type { AuditLog } from '../audit/audit-log.js';
import type { CouplingRepository } from '../coupling/coupling-repository.js';
import type { JobRepository } from '../jobs/job-repository.js';
import type { MappingService } from '../mappings/mapping-service.js';
import type { BusinessCentralPort } from '../ports/business-central.js';
import type { Clock } from '../ports/clock.js';
import type { DataversePort } from '../ports/dataverse.js';
import type { Roles } from '../roles.js';
import type { UndoJournal } from '../undo/journal.js';
import type { MatchRunRepository } from './match-run-repository.js';

/** Only what match-based coupling uses of each collaborator, so tests and callers see the real surface. */
export interface MatchDeps {
  runs: MatchRunRepository;
  mappings: Pick<MappingService, 'get'>;
  bc: BusinessCentralPort;
  dv: DataversePort;
  couplings: Pick<
    CouplingRepository,
    | 'list'
    | 'getByBcNumber'
    | 'getManyByBcIds'
    | 'getManyByDvIds'
    | 'bulkInsert'
    | 'reserveCreate'
    | 'releaseCreate'
  >;
  jobs: Pick<JobRepository, 'start' | 'setTotal' | 'incrementCounters' | 'finish' | 'progress' | 'get'>;
  roles: Pick<Roles, 'requireManager'>;
  audit: Pick<AuditLog, 'record'>;
  clock: Clock;
  /** MATCH_RUN_TTL_HOURS: an undecided run expires this long after it was proposed. */
  ttlHours: number;
  /** What an approval changed, recorded before it takes effect, so the job can be undone. */
  journal?: UndoJournal;
  /** How long an applying process owns a run without progress before resumeApplying may take over. */
  leaseMinutes?: number;
}

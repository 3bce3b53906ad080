import type { Db } from 'mongodb';
import type { AuditLog } from '../../core/audit/audit-log.js';
import type { Config } from '../../core/config.js';
import type { CouplingRepository } from '../../core/coupling/coupling-repository.js';
import type { JobRepository } from '../../core/jobs/job-repository.js';
import type { UndoJournal } from '../../core/undo/journal.js';
import type { MappingService } from '../../core/mappings/mapping-service.js';
import { DEFAULT_CSV_LIMITS } from '../../core/match/csv-read.js';
import { importRows } from '../../core/match/import-csv.js';
import { createMatchRunRepository } from '../../core/match/match-run-repository.js';
import { createMatchService } from '../../core/match/match-service.js';
import type { BusinessCentralPort } from '../../core/ports/business-central.js';
import type { Clock } from '../../core/ports/clock.js';
import type { DataversePort } from '../../core/ports/dataverse.js';
import type { Roles } from '../../core/roles.js';
import type { SyncService } from '../../core/sync/sync-service.js';
import type { BackgroundWork } from '../notifications/background.js';
import type { MatchBotServices } from '../match/match-services.js';
import type { CardMessenger } from '../notifications/messenger.js';
import type { ProgressTicker } from '../notifications/progress-ticker.js';

/** A Teams file download gets this long, redirects and body included. */
const DOWNLOAD_TIMEOUT_MS = 30_000;

export interface MatchComposeDeps {
  config: Pick<
    Config,
    'NODE_ENV' | 'MANAGER_AAD_OBJECT_IDS' | 'MATCH_RUN_TTL_HOURS' | 'MATCH_PROGRESS_AFTER_MS'
  >;
  /** Handed to core's repository factory only. */
  db: Db;
  clock: Clock;
  bc: BusinessCentralPort;
  dv: DataversePort;
  couplings: CouplingRepository;
  jobs: JobRepository;
  /** What an approval changed, for its Undo. */
  journal?: UndoJournal;
  mappings: MappingService;
  roles: Roles;
  audit: AuditLog;
  background: BackgroundWork;
  /** Absent without an adapter: answers then wait for the result, nothing is updated later. */
  messenger?: CardMessenger;
  sync?: Pick<SyncService, 'synchronizeNow'>;
  /** Keeps an approval's progress card moving (with the messenger). */
  progress?: Pick<ProgressTicker, 'follow'>;
  /** Rows per stored page of a run (tests: small pages). */
  storedPageSize?: number;
}

/** The composition root's wiring of Match-Based Coupling and bulk import for the bot (issue 5). */
export function composeMatch(deps: MatchComposeDeps): MatchBotServices {
  const { config, mappings, roles, audit, dv } = deps;
  const pages = deps.storedPageSize ? { storedPageSize: deps.storedPageSize } : {};
  const service = createMatchService(
    {
      runs: createMatchRunRepository(deps.db),
      mappings,
      bc: deps.bc,
      dv,
      couplings: deps.couplings,
      jobs: deps.jobs,
      ...(deps.journal ? { journal: deps.journal } : {}),
      roles,
      audit,
      clock: deps.clock,
      ttlHours: config.MATCH_RUN_TTL_HOURS,
    },
    pages,
  );
  const { messenger, sync, progress } = deps;
  return {
    service,
    importRows: (actor, kind, text, options) =>
      importRows(
        {
          dv,
          bc: deps.bc,
          mappings,
          roles,
          audit,
          jobs: deps.jobs,
          ...(deps.journal ? { journal: deps.journal } : {}),
        },
        actor,
        kind,
        text,
        options,
      ),
    managerIds: config.MANAGER_AAD_OBJECT_IDS,
    progressAfterMs: config.MATCH_PROGRESS_AFTER_MS,
    download: {
      maxBytes: DEFAULT_CSV_LIMITS.maxBytes,
      timeoutMs: DOWNLOAD_TIMEOUT_MS,
      allowLoopbackHttp: config.NODE_ENV !== 'production',
    },
    ...(messenger ? { messenger } : {}),
    ...(progress ? { progress } : {}),
    background: deps.background,
    ...(sync ? { synchronizeNow: (...args) => sync.synchronizeNow(...args) } : {}),
  };
}

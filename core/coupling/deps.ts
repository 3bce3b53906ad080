import type { Actor } from '../model/actor.js';
import type { JobCounters, Job, JobStatus, JobType } from '../model/job.js';
import type { JobProgress } from '../jobs/job-repository.js';
import type { IntegrationTableMapping } from '../model/mapping.js';
import type { BusinessCentralPort } from '../ports/business-central.js';
import type { Clock } from '../ports/clock.js';
import type { DataversePort } from '../ports/dataverse.js';
import type { RunLocks } from '../jobs/run-lock.js';
import type { UndoJournal } from '../undo/journal.js';
import type { CouplingRepository } from './coupling-repository.js';

/**
 * What the coupling use cases need, as small structural interfaces: the store helpers' own
 * implementations (createAuditLog, createJobRepository, createMappingService, createRoles) fit them.
 */
export interface MappingSource {
  list(): Promise<IntegrationTableMapping[]>;
  /** A snapshot at most a second old, for views only (MappingService.recent); list() when absent. */
  recent?(): Promise<readonly IntegrationTableMapping[]>;
}

export interface AuditSink {
  record(input: {
    actor: Actor;
    action: string;
    mapping?: string | null;
    subject: string;
    details?: Record<string, unknown>;
  }): Promise<unknown>;
}

export interface JobSink {
  start(input: {
    mapping: string;
    type: JobType;
    direction: string;
    startedBy: string;
    startedById?: string;
    message?: string;
    id?: string;
  }): Promise<string>;
  incrementCounters(id: string, counters: Partial<JobCounters>): Promise<boolean>;
  /** Counters of a chunk plus "go on?": still Running, and whether a cancel was asked. */
  progress(id: string, counters: Partial<JobCounters>): Promise<JobProgress>;
  finish(id: string, status: Exclude<JobStatus, 'Running'>, message: string): Promise<boolean>;
  get(id: string): Promise<Job | null>;
  /** What the run expects to do in all: its card shows a percentage. */
  setTotal(id: string, total: number): Promise<void>;
}

export interface RoleCheck {
  requireManager(actor: Actor, what: string): void;
}

export interface CouplingDeps {
  bc: BusinessCentralPort;
  dv: DataversePort;
  couplings: CouplingRepository;
  mappings: MappingSource;
  audit: AuditSink;
  jobs: JobSink;
  roles: RoleCheck;
  clock: Clock;
  /** What each change undoes to, recorded before the change; absent, changes are not undoable. */
  journal?: UndoJournal;
  /**
   * Delete Couplings holds the mapping's run lock, as a synchronization does: a full synchronization
   * running meanwhile would couple records again while their couplings are being deleted.
   */
  runLocks?: RunLocks;
  /** Couplings Delete Couplings removes per chunk (500; tests make it small to get many chunks). */
  batchSize?: number;
}

import type { Db } from 'mongodb';
import type { AuditLog } from '../audit/audit-log.js';
import { DomainError, ErrorCode } from '../errors.js';
import type { Actor } from '../model/actor.js';
import type { IntegrationTableMapping } from '../model/mapping.js';
import type { BcTable, DvTable } from '../model/tables.js';
import type { Clock } from '../ports/clock.js';
import type { Roles } from '../roles.js';
import { defaultMapping, defaultMappings } from './defaults.js';
import { createMappingRepository, type HighWaterMarks } from './mapping-repository.js';
import {
  planConflictResolution,
  planDirection,
  planHighWaterMarks,
  planMatchCriteria,
  planResetMatchCriteria,
  planSyncOnlyCoupled,
  type PlannedChange,
} from './mapping-rules.js';
import { deepFreeze } from '../freeze.js';

export interface MappingServiceDeps {
  db: Db;
  roles: Roles;
  audit: AuditLog;
  clock: Clock;
  /** The BC company whose rows the default Integration Table Filters select. */
  companyId: string;
  /** How old the snapshot `recent()` serves may be, in ms (default 1 s; 0 reads every time). */
  recentMaxAgeMs?: number;
}

const RECENT_MAX_AGE_MS = 1_000;

/**
 * Integration Table Mappings: read by everyone, changed by managers only. Every change is
 * compare-and-set on `version` — `expectedVersion` is the version the caller showed the user (a card);
 * without it, the version just read — and leaves an audit entry.
 */
export interface MappingService {
  /** Inserts missing default mappings; never touches an existing one. Returns the names inserted. */
  seedDefaults(): Promise<string[]>;
  list(): Promise<IntegrationTableMapping[]>;
  /**
   * All mappings as read at most `recentMaxAgeMs` ago, or since this instance last changed one: for cards
   * that only show them (record, Set Up Coupling, mappings), which every chat turn draws. Another
   * instance's change shows within that time. Whatever acts on a mapping (couple, sync, a change) reads
   * it afresh. Deeply frozen: shared by every caller.
   */
  recent(): Promise<readonly IntegrationTableMapping[]>;
  /** Case-insensitive; an unknown name is NotFound naming the valid ones. */
  get(name: string): Promise<IntegrationTableMapping>;
  getForBcTable(table: BcTable): Promise<IntegrationTableMapping>;
  /** The mapping that couples a BC table, or null; reads that mapping only (record cards ask it every turn). */
  findForBcTable(table: BcTable): Promise<IntegrationTableMapping | null>;
  listForDvTable(table: DvTable): Promise<IntegrationTableMapping[]>;
  setDirection(
    actor: Actor,
    name: string,
    direction: string,
    expectedVersion?: number,
  ): Promise<IntegrationTableMapping>;
  setSyncOnlyCoupled(
    actor: Actor,
    name: string,
    on: boolean,
    expectedVersion?: number,
  ): Promise<IntegrationTableMapping>;
  setConflictResolution(
    actor: Actor,
    name: string,
    settings: { update?: string; deletion?: string },
    expectedVersion?: number,
  ): Promise<IntegrationTableMapping>;
  /** `criteria` is untrusted card data: CriteriaInput of core/match/criteria.ts (partial; unlisted fields keep theirs). */
  saveMatchCriteria(
    actor: Actor,
    name: string,
    criteria: unknown,
    expectedVersion?: number,
  ): Promise<IntegrationTableMapping>;
  /** BC's Reset Criteria: only the match settings go back to the defaults. */
  resetMatchCriteria(actor: Actor, name: string, expectedVersion?: number): Promise<IntegrationTableMapping>;
  resetToDefaults(actor: Actor, name: string, expectedVersion?: number): Promise<IntegrationTableMapping>;
  /** A manager moving the marks, e.g. back to force a resynchronization; null clears a mark. */
  setHighWaterMarks(
    actor: Actor,
    name: string,
    marks: { bc?: Date | null; dv?: Date | null },
    expectedVersion?: number,
  ): Promise<IntegrationTableMapping>;
  /** For synchronization jobs: forward only, no version bump (a manager's open card stays valid). */
  advanceHighWaterMarks(name: string, marks: HighWaterMarks): Promise<void>;
}

const NAME_SHAPE = /^[A-Z0-9][A-Z0-9 _-]{0,49}$/;

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export function createMappingService(deps: MappingServiceDeps): MappingService {
  const repo = createMappingRepository(deps.db);
  const maxAgeMs = deps.recentMaxAgeMs ?? RECENT_MAX_AGE_MS;
  // One read in flight at a time, shared; a failed read is not kept. Monotonic time, not deps.clock.
  let snapshot: { readAt: number; mappings: Promise<readonly IntegrationTableMapping[]> } | undefined;
  const forget = () => {
    snapshot = undefined;
  };

  function recent(): Promise<readonly IntegrationTableMapping[]> {
    const now = performance.now();
    if (snapshot && now - snapshot.readAt <= maxAgeMs) return snapshot.mappings;
    const mappings = repo.findAll().then(deepFreeze);
    const mine = { readAt: now, mappings };
    snapshot = mine;
    mappings.catch(() => {
      if (snapshot === mine) forget();
    });
    return mappings;
  }

  async function get(name: string): Promise<IntegrationTableMapping> {
    const key = typeof name === 'string' ? name.trim().toUpperCase() : '';
    const found = NAME_SHAPE.test(key) ? await repo.findByName(key) : null;
    if (found) return found;
    const names = (await repo.findAll()).map((m) => m.name).join(', ');
    const shown = typeof name === 'string' ? name.slice(0, 50) : String(name);
    throw new DomainError(
      ErrorCode.NotFound,
      `There is no table mapping "${shown}". The mappings are: ${names}.`,
    );
  }

  function staleError(name: string, current: IntegrationTableMapping | null): DomainError {
    if (!current)
      return new DomainError(
        ErrorCode.NotFound,
        `Table mapping ${name} no longer exists; nothing was changed.`,
      );
    return new DomainError(
      ErrorCode.StaleState,
      `Table mapping ${name} was changed by ${current.updatedBy ?? 'someone else'} meanwhile ` +
        `(it is now at version ${current.version}). Reload it and try again; nothing was changed.`,
    );
  }

  function defaultsOf(m: IntegrationTableMapping): IntegrationTableMapping {
    const def = defaultMapping(deps.companyId, m.name);
    if (!def)
      throw new DomainError(ErrorCode.NotFound, `Table mapping ${m.name} has no defaults to reset to.`);
    return def;
  }

  /** The one path every manager change takes: role, load, version check, rule, CAS, audit. */
  async function change(
    actor: Actor,
    action: string,
    name: string,
    expectedVersion: number | undefined,
    plan: (m: IntegrationTableMapping) => PlannedChange,
  ): Promise<IntegrationTableMapping> {
    deps.roles.requireManager(actor, 'change table mappings');
    const current = await get(name);
    if (expectedVersion !== undefined && expectedVersion !== current.version)
      throw staleError(current.name, current);
    const { changes, details } = plan(current);
    const unchanged = Object.entries(changes).every(([k, v]) =>
      sameValue(current[k as keyof typeof current], v),
    );
    if (unchanged) return current;
    const updated = await repo.compareAndSet(
      current.name,
      current.version,
      changes,
      actor.name,
      deps.clock.now(),
    );
    forget();
    if (!updated) throw staleError(current.name, await repo.findByName(current.name));
    await deps.audit.record({
      actor,
      action,
      mapping: updated.name,
      subject: `mapping:${updated.name}`,
      details: { ...details, version: updated.version },
    });
    return updated;
  }

  return {
    async seedDefaults() {
      const inserted: string[] = [];
      for (const m of defaultMappings(deps.companyId)) {
        if (await repo.insertIfMissing(m)) inserted.push(m.name);
      }
      if (inserted.length > 0) forget();
      return inserted;
    },
    list: () => repo.findAll(),
    recent,
    get,
    async getForBcTable(table) {
      const [found] = await repo.findByBcTable(table);
      if (!found) throw new DomainError(ErrorCode.NotFound, `No table mapping couples ${table} records.`);
      return found;
    },
    async findForBcTable(table) {
      return (await repo.findByBcTable(table))[0] ?? null;
    },
    async listForDvTable(table) {
      return (await repo.findAll()).filter((m) => m.dvTable === table);
    },
    setDirection: (actor, name, direction, v) =>
      change(actor, 'mapping.direction', name, v, (m) => planDirection(m, direction)),
    setSyncOnlyCoupled: (actor, name, on, v) =>
      change(actor, 'mapping.syncOnlyCoupled', name, v, (m) => planSyncOnlyCoupled(m, on)),
    setConflictResolution: (actor, name, settings, v) =>
      change(actor, 'mapping.conflictResolution', name, v, (m) => planConflictResolution(m, settings)),
    saveMatchCriteria: (actor, name, criteria, v) =>
      change(actor, 'mapping.matchCriteria', name, v, (m) => planMatchCriteria(m, criteria)),
    resetMatchCriteria: (actor, name, v) =>
      change(actor, 'mapping.resetMatchCriteria', name, v, (m) => planResetMatchCriteria(m, defaultsOf(m))),
    setHighWaterMarks: (actor, name, marks, v) =>
      change(actor, 'mapping.highWaterMarks', name, v, (m) => planHighWaterMarks(m, marks)),
    resetToDefaults: (actor, name, v) =>
      change(actor, 'mapping.reset', name, v, (m) => {
        const def = defaultsOf(m);
        // High-water marks describe the data, not the settings: kept, so a reset causes no full resync.
        const {
          name: _n,
          version: _v,
          updatedAt: _a,
          updatedBy: _b,
          lastSyncedBcModifiedOn: _c,
          lastSyncedDvModifiedOn: _d,
          ...settings
        } = def;
        return { changes: settings, details: { reset: true } };
      }),
    async advanceHighWaterMarks(name, marks) {
      const m = await get(name);
      await repo.advanceHighWaterMarks(m.name, marks);
      forget();
    },
  };
}

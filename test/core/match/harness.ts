import type { Db } from 'mongodb';
import { createAuditLog } from '../../../core/audit/audit-log.js';
import { CouplingRepository, ensureCouplingIndexes } from '../../../core/coupling/coupling-repository.js';
import { createJobRepository } from '../../../core/jobs/job-repository.js';
import { createMappingService } from '../../../core/mappings/mapping-service.js';
import type { MatchDeps } from '../../../core/match/match-deps.js';
import { createMatchRunRepository } from '../../../core/match/match-run-repository.js';
import { createMatchService } from '../../../core/match/match-service.js';
import type { Actor } from '../../../core/model/actor.js';
import type { Fields } from '../../../core/model/record.js';
import { createRoles } from '../../../core/roles.js';
import { SandboxBusinessCentral } from '../../../connectors/sandbox/sandbox-business-central.js';
import { SandboxDataverse } from '../../../connectors/sandbox/sandbox-dataverse.js';
import {
  ensureSandboxIndexes,
  OTHER_COMPANY_ID,
  SANDBOX_COMPANY_ID,
} from '../../../connectors/sandbox/seed.js';
import { ensureIndexes } from '../../../core/store/indexes.js';
import { FakeClock } from '../../kit/clock.js';

export const START = new Date('2025-03-01T09:00:00Z');
export const manager: Actor = { id: 'aad-megan', name: 'Megan Bowen' };
export const manager2: Actor = { id: 'aad-alex', name: 'Alex Wilber' };
export const user: Actor = { id: 'aad-diego', name: 'Diego Siciliani' };
export { OTHER_COMPANY_ID, SANDBOX_COMPANY_ID };

/** A customer as BC holds it (not blocked unless said). */
export const customer = (no: string, name: string, extra: Fields = {}): Fields => ({
  'No.': no,
  Name: name,
  Blocked: '',
  ...extra,
});

/** An active customer account of the sandbox company unless said otherwise. */
export const account = (name: string, extra: Fields = {}): Fields => ({
  name,
  customertypecode: 3,
  statecode: 0,
  bcbi_companyid: SANDBOX_COMPANY_ID,
  ...extra,
});

/** Everything match-based coupling runs on, real implementations over one database. */
export async function matchHarness(db: Db, options: { storedPageSize?: number } = {}) {
  await ensureIndexes(db);
  await ensureCouplingIndexes(db);
  await ensureSandboxIndexes(db);
  const clock = FakeClock.at(START);
  const roles = createRoles([manager.id, manager2.id]);
  const audit = createAuditLog({ db, clock });
  const jobs = createJobRepository({ db, clock });
  const mappings = createMappingService({ db, roles, audit, clock, companyId: SANDBOX_COMPANY_ID });
  await mappings.seedDefaults();
  const deps: MatchDeps = {
    runs: createMatchRunRepository(db),
    mappings,
    bc: new SandboxBusinessCentral(db, { clock }),
    dv: new SandboxDataverse(db, { clock }),
    couplings: new CouplingRepository(db),
    jobs,
    roles,
    audit,
    clock,
    ttlHours: 72,
  };
  const service = createMatchService(deps, options);

  async function addCustomers(rows: Fields[]): Promise<string[]> {
    const written = await deps.bc.createMany('Customer', rows);
    return written.map((w) => (w.ok ? w.value.id : `failed: ${w.error}`));
  }
  async function addAccounts(rows: Fields[]): Promise<string[]> {
    const written = await deps.dv.createMany('account', rows);
    return written.map((w) => (w.ok ? w.value.id : `failed: ${w.error}`));
  }
  const couplingsOf = async (mapping = 'CUSTOMER') => {
    const all = [];
    for await (const page of new CouplingRepository(db).list(mapping)) all.push(...page);
    return all;
  };
  return { db, deps, service, clock, mappings, jobs, audit, addCustomers, addAccounts, couplingsOf };
}
export type Harness = Awaited<ReturnType<typeof matchHarness>>;

/** Runs `fn` and returns the DomainError it throws (code and message), failing when it does not throw. */
export async function refusal(fn: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await fn();
  } catch (e) {
    const err = e as { code?: string; message: string };
    return { code: err.code ?? 'none', message: err.message };
  }
  throw new Error('expected a refusal');
}

/** Three customers with one account each, and one without: a run with 3 proposals and 1 no-match. */
export async function threeProposals(h: Harness, options: { criteria?: unknown } = {}) {
  const [adatum, trey, fineArt, nobody] = await h.addCustomers([
    customer('10000', 'Adatum Corporation'),
    customer('20000', 'Trey Research'),
    customer('30000', 'School of Fine Art'),
    customer('40000', 'Nobody Ltd'),
  ]);
  const [dvAdatum, dvTrey, dvFineArt] = await h.addAccounts([
    account('Adatum Corporation'),
    account('Trey Research'),
    account('School of Fine Art'),
  ]);
  const run = await h.service.proposeRun(manager, 'CUSTOMER', options.criteria);
  const rows = (await h.service.getRowsPage(run.id, 0)).rows;
  const rowId = (no: string): string => rows.find((r) => r.outcome.bc.number === no)?.rowId ?? 'missing';
  return {
    run,
    rowId,
    bc: { adatum, trey, fineArt, nobody } as Record<string, string>,
    dv: { adatum: dvAdatum, trey: dvTrey, fineArt: dvFineArt } as Record<string, string>,
  };
}

import type { Db } from 'mongodb';
import { createAuditLog, ensureAuditIndexes } from '../../../core/audit/audit-log.js';
import { CouplingRepository, ensureCouplingIndexes } from '../../../core/coupling/coupling-repository.js';
import { CouplingService } from '../../../core/coupling/coupling-service.js';
import type { CouplingDeps } from '../../../core/coupling/deps.js';
import { createJobRepository, ensureJobIndexes } from '../../../core/jobs/job-repository.js';
import { createMappingService } from '../../../core/mappings/mapping-service.js';
import { ensureMappingIndexes } from '../../../core/mappings/mapping-repository.js';
import type { Actor } from '../../../core/model/actor.js';
import { systemClock } from '../../../core/ports/clock.js';
import { createRoles } from '../../../core/roles.js';
import { openSandbox } from '../../../connectors/sandbox/open-sandbox.js';
import { resetSandbox, SANDBOX_COMPANY_ID } from '../../../connectors/sandbox/seed.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';

export const manager: Actor = { id: 'manager-1', name: 'Megan Manager', conversationId: 'conv-1' };
export const user: Actor = { id: 'user-1', name: 'Ursula User', conversationId: 'conv-2' };

/** Everything the coupling use cases need, on a real (embedded) MongoDB with the sandbox seeded. */
export async function makeWorld() {
  const test: TestDb = await useTestDb();
  const db: Db = test.db;
  for (const ensure of [ensureMappingIndexes, ensureJobIndexes, ensureAuditIndexes, ensureCouplingIndexes])
    await ensure(db);
  const { bc, dv } = await openSandbox(db);
  const roles = createRoles([manager.id]);
  const audit = createAuditLog({ db, clock: systemClock });
  const jobs = createJobRepository({ db, clock: systemClock });
  const mappings = createMappingService({
    db,
    roles,
    audit,
    clock: systemClock,
    companyId: SANDBOX_COMPANY_ID,
  });
  await mappings.seedDefaults();
  const couplings = new CouplingRepository(db);
  const deps: CouplingDeps = { bc, dv, couplings, mappings, audit, jobs, roles, clock: systemClock };
  const service = new CouplingService(deps);

  return {
    db,
    bc,
    dv,
    couplings,
    mappings,
    audit,
    jobs,
    deps,
    roles,
    service,
    cleanup: () => test.cleanup(),
    /** Back to the seeded demo: sandbox data, default mappings, no couplings, no audit or jobs. */
    async reset() {
      await resetSandbox(db);
      for (const name of ['couplings', 'mappings', 'audit', 'jobs']) await db.collection(name).deleteMany({});
      await mappings.seedDefaults();
    },
    async setMapping(name: string, changes: { syncOnlyCoupled?: boolean; direction?: string }) {
      if (changes.syncOnlyCoupled !== undefined)
        await mappings.setSyncOnlyCoupled(manager, name, changes.syncOnlyCoupled);
      if (changes.direction !== undefined) await mappings.setDirection(manager, name, changes.direction);
    },
    /** The seeded Dataverse row with this exact name (inside our company unless said). */
    async dvRow(
      table: 'account' | 'contact' | 'product' | 'systemuser',
      name: string,
      companyId: string | null = SANDBOX_COMPANY_ID,
    ) {
      const column = table === 'contact' || table === 'systemuser' ? 'fullname' : 'name';
      const rows = (await dv.findByField(table, column, name, 10)).filter(
        (r) => !('bcbi_companyid' in r.fields) || r.fields['bcbi_companyid'] === companyId,
      );
      if (rows.length === 0) throw new Error(`no ${table} named ${name}`);
      return rows[0]!;
    },
    auditCount: () => db.collection('audit').countDocuments({ action: { $regex: '^coupling\\.' } }),
    couplingCount: () => db.collection('couplings').countDocuments({}),
  };
}

export type World = Awaited<ReturnType<typeof makeWorld>>;

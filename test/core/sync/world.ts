import type { Db } from 'mongodb';
import { createAuditLog } from '../../../core/audit/audit-log.js';
import { CouplingRepository, ensureCouplingIndexes } from '../../../core/coupling/coupling-repository.js';
import { createJobRepository } from '../../../core/jobs/job-repository.js';
import { defaultMapping } from '../../../core/mappings/defaults.js';
import { createMappingService } from '../../../core/mappings/mapping-service.js';
import type { Actor } from '../../../core/model/actor.js';
import type { Coupling } from '../../../core/model/coupling.js';
import type { BcRecord, DvRow, Fields } from '../../../core/model/record.js';
import type { BusinessCentralPort } from '../../../core/ports/business-central.js';
import type { DataversePort } from '../../../core/ports/dataverse.js';
import { createRoles } from '../../../core/roles.js';
import { SandboxBusinessCentral } from '../../../connectors/sandbox/sandbox-business-central.js';
import { SandboxDataverse } from '../../../connectors/sandbox/sandbox-dataverse.js';
import { ensureSandboxIndexes } from '../../../connectors/sandbox/seed.js';
import { ensureIndexes } from '../../../core/store/indexes.js';
import { snapshotOf } from '../../../core/sync/change-detection.js';
import type { SyncDeps } from '../../../core/sync/deps.js';
import { createErrorActions } from '../../../core/sync/error-actions.js';
import { ensureSyncIndexes } from '../../../core/sync/indexes.js';
import { SyncErrorRepository } from '../../../core/sync/sync-error-repository.js';
import { createSyncService } from '../../../core/sync/sync-service.js';
import { FakeClock } from '../../kit/clock.js';

export const COMPANY = '11111111-1111-4111-8111-111111111111';
export const MANAGER: Actor = { id: 'manager-1', name: 'Megan Manager' };
export const USER: Actor = { id: 'user-1', name: 'Ulla User' };

/** A clock the test moves; the sandbox's modified-on times follow it. */
export interface WorldOptions {
  /** Records per batch; 50 unless said. */
  batchSize?: number;
  /** Wraps the sandbox connectors (e.g. one that fails after N writes). */
  wrap?: (ports: { bc: BusinessCentralPort; dv: DataversePort }) => {
    bc: BusinessCentralPort;
    dv: DataversePort;
  };
}

/** Everything synchronization needs, on a freshly emptied database, with the default mappings seeded. */
export async function world(db: Db, options: WorldOptions = {}) {
  await db.dropDatabase();
  await ensureIndexes(db);
  await ensureCouplingIndexes(db);
  await ensureSyncIndexes(db);
  await ensureSandboxIndexes(db);
  const clock = FakeClock.at();
  const sandbox = { bc: new SandboxBusinessCentral(db, { clock }), dv: new SandboxDataverse(db, { clock }) };
  const ports = options.wrap ? options.wrap(sandbox) : sandbox;
  const roles = createRoles([MANAGER.id]);
  const audit = createAuditLog({ db, clock });
  const mappings = createMappingService({ db, roles, audit, clock, companyId: COMPANY });
  await mappings.seedDefaults();
  const couplings = new CouplingRepository(db);
  const jobs = createJobRepository({ db, clock });
  const errors = new SyncErrorRepository(db, clock.now);
  const deps: SyncDeps = {
    ...ports,
    mappings,
    couplings,
    jobs,
    errors,
    audit,
    roles,
    clock,
    batchSize: options.batchSize ?? 50,
  };
  const sync = createSyncService(deps);
  const actions = createErrorActions(deps);
  return {
    db,
    clock,
    sandbox,
    deps,
    mappings,
    couplings,
    jobs,
    errors,
    audit,
    sync,
    actions,
    ...helpers(sandbox, couplings, clock),
  };
}

export type World = Awaited<ReturnType<typeof world>>;

const ACCOUNT = { statecode: 0, customertypecode: 3, bcbi_companyid: COMPANY };

function helpers(
  sandbox: { bc: SandboxBusinessCentral; dv: SandboxDataverse },
  couplings: CouplingRepository,
  clock: FakeClock,
) {
  return {
    /** A customer and its account, coupled and in step as a last synchronization left them. */
    async coupledPair(
      no: string,
      bcFields: Fields = {},
      dvFields: Fields = {},
    ): Promise<{ bc: BcRecord; dv: DvRow; coupling: Coupling }> {
      const name = `Customer ${no}`;
      const bc = await sandbox.bc.create('Customer', {
        'No.': no,
        Name: name,
        'Phone No.': '100',
        City: 'Oslo',
        Blocked: '',
        ...bcFields,
      });
      const dv = await sandbox.dv.create('account', {
        ...ACCOUNT,
        name,
        telephone1: '100',
        address1_city: 'Oslo',
        accountnumber: no,
        ...dvFields,
      });
      const mapping = defaultMapping(COMPANY, 'CUSTOMER');
      const coupling: Coupling = {
        mapping: 'CUSTOMER',
        bcId: bc.id,
        bcNumber: bc.number,
        dvId: dv.id,
        lastSyncedBcModifiedOn: bc.modifiedOn,
        lastSyncedDvModifiedOn: dv.modifiedOn,
        lastSyncResultBc: 'Success',
        lastSyncResultDv: 'Success',
        lastJobId: null,
        skipped: false,
        coupledAt: clock.now(),
        coupledBy: 'test',
        origin: 'manual',
        lastSyncedValues: snapshotOf(mapping?.fields ?? [], bc.fields, dv.fields),
      };
      await couplings.insert(coupling);
      clock.advanceMinutes(1);
      return { bc, dv, coupling };
    },
    /** A person editing Business Central. */
    editBc: (id: string, fields: Fields) => sandbox.bc.update('Customer', id, fields),
    /** A person editing Dataverse. */
    editDv: (id: string, fields: Fields) => sandbox.dv.update('account', id, fields),
    bcNow: async (id: string) => (await sandbox.bc.getById('Customer', id))?.fields,
    dvNow: async (id: string) => (await sandbox.dv.get('account', id))?.fields,
    account: ACCOUNT,
  };
}

import type { CouplingRepository } from '../coupling/coupling-repository.js';
import type { AuditSink } from '../coupling/deps.js';
import {
  isGuid,
  requireBcTable,
  requireDvTable,
  requireGuid,
  requireName,
  requireNumber,
} from '../coupling/inputs.js';
import { bcSubject, dvSubject, notFoundBc, notFoundDv } from '../coupling/labels.js';
import { DomainError, ErrorCode } from '../errors.js';
import { defaultMappings } from '../mappings/defaults.js';
import { valuesImpliedByFilter } from '../mappings/filter-defaults.js';
import type { Actor } from '../model/actor.js';
import { passesFilter } from '../model/filter.js';
import type { BcRecord, DvRow } from '../model/record.js';
import { DV_NAME_FIELDS, type BcTable, type DvTable } from '../model/tables.js';
import type { BusinessCentralPort } from '../ports/business-central.js';
import type { DataversePort } from '../ports/dataverse.js';
import { knownBcFields, knownDvFields, validateChanges } from './sandbox-fields.js';

export interface SandboxAdminDeps {
  /** The sandbox's demo company: the one its default mappings select and new rows belong to. */
  companyId: string;
  /** Empties the sandbox's tables and seeds the demo data again (the sandbox connector's own reset). */
  reset(): Promise<void>;
  bc: BusinessCentralPort;
  dv: DataversePort;
  couplings: CouplingRepository;
  audit: AuditSink;
  /** Reset deletes every coupling, so it is a manager's action like Delete Couplings. */
  roles: { requireManager(actor: Actor, what: string): void };
}

/**
 * `sandbox edit/delete/add/reset`: lets a demo or a test play "someone changed the other system".
 * Refused when real connectors are configured; edits go through the connectors, so modified-on
 * times move exactly as a real edit's would. Every change is audited.
 */
export class SandboxAdmin {
  constructor(private readonly deps: SandboxAdminDeps) {}

  async editBc(actor: Actor, bcTable: BcTable, number: unknown, changes: unknown): Promise<BcRecord> {
    this.requireSandbox();
    const table = requireBcTable(bcTable);
    const no = requireNumber(number, table);
    const record = await this.deps.bc.getByNumber(table, no);
    if (!record) throw notFoundBc(table, no);
    const fields = validateChanges(
      changes,
      knownBcFields(table, this.deps.companyId),
      record.fields,
      `${table} in Business Central`,
    );
    const updated = await this.deps.bc.update(table, record.id, fields, record.etag);
    await this.audit(actor, 'sandbox.edit', bcSubject(table, no), { system: 'Business Central', fields });
    return updated;
  }

  async editDv(actor: Actor, dvTable: DvTable, idOrExactName: unknown, changes: unknown): Promise<DvRow> {
    this.requireSandbox();
    const table = requireDvTable(dvTable);
    const row = await this.findDv(table, idOrExactName);
    const fields = validateChanges(
      changes,
      knownDvFields(table, this.deps.companyId),
      row.fields,
      `${table} in Dataverse`,
    );
    const updated = await this.deps.dv.update(table, row.id, fields, row.etag);
    await this.audit(actor, 'sandbox.edit', dvSubject(table, row.id), { system: 'Dataverse', fields });
    return updated;
  }

  /** Deletes a row the way someone in Dataverse would: its coupling stays (a deletion conflict to find). */
  async deleteDv(actor: Actor, dvTable: DvTable, id: unknown): Promise<DvRow> {
    this.requireSandbox();
    const table = requireDvTable(dvTable);
    const row = await this.findDv(table, requireGuid(id, `a Dataverse ${table}`));
    await this.deps.dv.delete(table, row.id);
    await this.audit(actor, 'sandbox.delete', dvSubject(table, row.id), {
      system: 'Dataverse',
      fields: row.fields,
    });
    return row;
  }

  /**
   * Adds a row. It gets the values the table's first default mapping requires (active, customer type,
   * this company) unless given, so a new account is a customer account of the demo company.
   */
  async addDv(actor: Actor, dvTable: DvTable, fields: unknown): Promise<DvRow> {
    this.requireSandbox();
    const table = requireDvTable(dvTable);
    const [mapping] = this.mappings(table);
    const defaults = mapping ? valuesImpliedByFilter(mapping.integrationTableFilter) : {};
    // The defaults also give typed text its type: customertypecode="11" is the number 11.
    const given = validateChanges(
      fields,
      knownDvFields(table, this.deps.companyId),
      defaults,
      `${table} in Dataverse`,
    );
    const person = table === 'contact' || table === 'systemuser';
    requireName(
      person ? (given['lastname'] ?? given[DV_NAME_FIELDS[table]]) : given[DV_NAME_FIELDS[table]],
      `new ${table}`,
    );
    const row = await this.deps.dv.create(table, { ...defaults, ...given });
    await this.audit(actor, 'sandbox.add', dvSubject(table, row.id), {
      system: 'Dataverse',
      fields: row.fields,
    });
    return row;
  }

  /** Back to the demo data as seeded, with nothing coupled. Returns how many couplings were removed. */
  async reset(actor: Actor): Promise<{ couplingsRemoved: number }> {
    this.requireSandbox();
    this.deps.roles.requireManager(actor, 'reset the sandbox (it deletes every coupling)');
    await this.deps.reset();
    const couplingsRemoved = await this.deps.couplings.deleteEverything();
    await this.audit(actor, 'sandbox.reset', 'sandbox', { couplingsRemoved });
    return { couplingsRemoved };
  }

  private async findDv(table: DvTable, idOrExactName: unknown): Promise<DvRow> {
    if (isGuid(idOrExactName)) {
      const id = requireGuid(idOrExactName, `a Dataverse ${table}`);
      const row = await this.deps.dv.get(table, id);
      if (!row) throw notFoundDv(table, id);
      return row;
    }
    const name = requireName(idOrExactName, table);
    const found = await this.deps.dv.findByField(table, DV_NAME_FIELDS[table], name, 10);
    // A name shared with another company's row means the demo company's row, as in coupleTo.
    const ours = found.filter((r) =>
      this.mappings(table).some((m) => passesFilter(r.fields, m.integrationTableFilter)),
    );
    const rows = found.length > 1 && ours.length > 0 ? ours : found;
    if (rows.length === 1) return rows[0]!;
    throw new DomainError(
      rows.length === 0 ? ErrorCode.NotFound : ErrorCode.InvalidInput,
      rows.length === 0
        ? `No ${table} is named "${name}" exactly.`
        : `Several ${table} rows are named "${name}": ${rows.map((r) => r.id).join(', ')}. Use the id instead.`,
    );
  }

  private mappings(table: DvTable) {
    return defaultMappings(this.deps.companyId).filter((m) => m.dvTable === table);
  }

  private requireSandbox(): void {
    if (this.deps.bc.kind !== 'sandbox' || this.deps.dv.kind !== 'sandbox') {
      throw new DomainError(
        ErrorCode.SandboxOnly,
        'Sandbox commands only work with the sandbox connectors; this bot is connected to real Business Central and Dataverse.',
      );
    }
  }

  private async audit(
    actor: Actor,
    action: string,
    subject: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.deps.audit.record({ actor, action, mapping: null, subject, details });
  }
}

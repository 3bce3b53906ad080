import type { Actor } from '../model/actor.js';
import type { Job } from '../model/job.js';
import type { IntegrationTableMapping } from '../model/mapping.js';
import type { DvRow } from '../model/record.js';
import type { BcTable } from '../model/tables.js';
import { couple, coupleTo, type CoupleInput, type CoupleToInput } from './couple.js';
import { coupleFromDataverse } from './couple-from-dataverse.js';
import { createNew } from './create-new.js';
import type { CouplingDeps } from './deps.js';
import type { CoupleResult } from './establish.js';
import { mappingForBcTable, mappingForDvRow } from './mapping-lookup.js';
import { RecordIds } from './record-ids.js';
import { describeRecord, setUpCoupling, type RecordView, type SetUpCouplingView } from './set-up-coupling.js';
import { uncouple, uncoupleAll, type UncoupleAllOptions, type UncoupleOutcome } from './uncouple.js';

export type { CoupleResult } from './establish.js';
export type { Candidate, RecordView, SetUpCouplingView } from './set-up-coupling.js';
export type { UncoupleOutcome } from './uncouple.js';

/**
 * Manual coupling as BC's pages do it (domain.md §2, §3, §5), one use case per file; this class only
 * hands each its dependencies. Every refusal is a DomainError with a stable code and changes nothing.
 */
export class CouplingService {
  /** Ids of records shown recently: their cards read record and coupling side by side. */
  private readonly recordIds = new RecordIds();

  constructor(private readonly deps: CouplingDeps) {}

  findMapping(bcTable: BcTable): Promise<IntegrationTableMapping> {
    return mappingForBcTable(this.deps.mappings, bcTable);
  }

  /** account → CUSTOMER or VENDOR by customertypecode; product → ITEM-PRODUCT or RESOURCE-PRODUCT. */
  findMappingForRow(row: DvRow): Promise<IntegrationTableMapping> {
    return mappingForDvRow(this.deps.mappings, row);
  }

  /** `show customer 10000`: the record, its coupling and partner. */
  describe(bcTable: BcTable, number: unknown): Promise<RecordView> {
    return describeRecord(this.deps, bcTable, number, this.recordIds);
  }

  setUpCoupling(actor: Actor, bcTable: BcTable, number: unknown): Promise<SetUpCouplingView> {
    return setUpCoupling(this.deps, actor, bcTable, number);
  }

  couple(actor: Actor, input: CoupleInput): Promise<CoupleResult> {
    return couple(this.deps, actor, input);
  }

  coupleTo(actor: Actor, input: CoupleToInput): Promise<CoupleResult> {
    return coupleTo(this.deps, actor, input);
  }

  createNew(
    actor: Actor,
    input: { bcTable: unknown; number: unknown; syncAfterCoupling?: unknown },
  ): Promise<CoupleResult> {
    return createNew(this.deps, actor, input);
  }

  coupleFromDataverse(actor: Actor, input: { dvTable: unknown; id: unknown }): Promise<CoupleResult> {
    return coupleFromDataverse(this.deps, actor, input);
  }

  uncouple(actor: Actor, bcTable: BcTable, numbers: readonly unknown[]): Promise<UncoupleOutcome[]> {
    return uncouple(this.deps, actor, bcTable, numbers);
  }

  uncoupleAll(actor: Actor, mappingName: unknown, options?: UncoupleAllOptions): Promise<Job> {
    return uncoupleAll(this.deps, actor, mappingName, options);
  }
}

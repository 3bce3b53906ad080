import type { CouplingRepository } from '../../coupling/coupling-repository.js';
import type { FieldMapping } from '../../model/mapping.js';
import type { BusinessCentralPort } from '../../ports/business-central.js';
import type { DataversePort } from '../../ports/dataverse.js';
import type { Pass } from '../pass.js';
import type { Translated } from '../values.js';

/** What reading look-up values ahead needs: the couplings of related mappings, and both systems. */
export interface LookupSource {
  couplings: Pick<CouplingRepository, 'getByBcNumber' | 'getManyByBcIds' | 'getManyByDvIds'>;
  bc: Pick<
    BusinessCentralPort,
    'localCurrencyCode' | 'getById' | 'getByNumber' | 'businessRelationOf' | 'companyContactOf'
  >;
  dv: Pick<DataversePort, 'getMany' | 'findByField' | 'baseCurrencyId'>;
}

/**
 * One kind of look-up column. `prepare` reads what a batch's values need (each value once per run);
 * `translate` then answers synchronously, so transferring values stays a pure function of the records.
 * Values reach both as non-blank text; blanks are the resolver's own `blank` rule.
 */
export interface LookupResolver {
  prepare(fm: FieldMapping, values: { bc: readonly string[]; dv: readonly string[] }): Promise<void>;
  translate(fm: FieldMapping, pass: Pass, value: string | null): Translated;
}

/** A value nobody read ahead is a bug of the caller, not of the data: stop rather than guess. */
export function notPrepared(fm: FieldMapping, value: string): never {
  throw new Error(`Lookup ${fm.dvField} = "${value}" was not prepared.`);
}

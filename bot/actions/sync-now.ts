import { DomainError, ErrorCode } from '../../core/errors.js';
import { Verb } from '../../cards/index.js';
import { synchronizeRecords } from '../views/sync-flow.js';
import { defineAction } from './action.js';
import { RecordData } from './data.js';

/** Synchronize Now on the record card: the direction card replaces it, or the result when there is no choice. */
export const syncNowAction = defineAction({
  verb: Verb.syncNow,
  data: RecordData,
  async handle(data, turn, services) {
    const m = await services.mappings.get(data.mapping);
    const [record] = await services.bc.getManyByIds(m.bcTable, [data.bcId]);
    if (!record) {
      throw new DomainError(
        ErrorCode.NotFound,
        `${m.bcTable} ${data.number} no longer exists in Business Central; nothing was synchronized.`,
      );
    }
    return synchronizeRecords(m, [record], turn, services);
  },
});

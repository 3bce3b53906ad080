import { DomainError, ErrorCode } from '../../core/errors.js';
import { Verb } from '../../cards/index.js';
import { recordCard } from '../views/record.js';
import { defineAction } from './action.js';
import { RecordData } from './data.js';

/** Refresh on the record card: the record as it is now. */
export const showAction = defineAction({
  verb: Verb.show,
  data: RecordData,
  async handle(data, _turn, services) {
    const m = await services.mappings.get(data.mapping);
    const view = await services.coupling.describe(m.bcTable, data.number);
    if (view.record.id !== data.bcId) {
      throw new DomainError(
        ErrorCode.StaleState,
        `${m.bcTable} ${data.number} is no longer the record this card showed. Type show ${m.bcTable.toLowerCase()} ${data.number}.`,
      );
    }
    return recordCard(view, services);
  },
});

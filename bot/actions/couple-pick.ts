import { Verb } from '../../cards/index.js';
import { coupleOutcome } from '../views/couple-result.js';
import { defineAction } from './action.js';
import { Guid, RecordData, SyncAfterInput } from './data.js';

/** Couple on a Set Up Coupling candidate; core re-checks filters and one-to-one before coupling. */
export const couplePickAction = defineAction({
  verb: Verb.couplePick,
  data: RecordData.extend({ dvId: Guid, syncAfterCoupling: SyncAfterInput }),
  async handle(data, turn, services) {
    const m = await services.mappings.get(data.mapping);
    const result = await services.coupling.couple(turn.actor, {
      bcTable: m.bcTable,
      number: data.number,
      dvId: data.dvId,
      syncAfterCoupling: data.syncAfterCoupling,
    });
    return coupleOutcome(result, turn, services);
  },
});

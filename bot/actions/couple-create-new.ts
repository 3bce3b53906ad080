import { Verb } from '../../cards/index.js';
import { coupleOutcome } from '../views/couple-result.js';
import { defineAction } from './action.js';
import { RecordData, SyncAfterInput } from './data.js';

/** Create New on Set Up Coupling: core creates the Dataverse row from the record and couples it. */
export const coupleCreateNewAction = defineAction({
  verb: Verb.coupleCreateNew,
  data: RecordData.extend({ syncAfterCoupling: SyncAfterInput }),
  async handle(data, turn, services) {
    const m = await services.mappings.get(data.mapping);
    const result = await services.coupling.createNew(turn.actor, {
      bcTable: m.bcTable,
      number: data.number,
      syncAfterCoupling: data.syncAfterCoupling,
    });
    return coupleOutcome(result, turn, services);
  },
});

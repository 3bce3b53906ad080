import { Verb } from '../../cards/index.js';
import { setUpCouplingCard } from '../views/record.js';
import { defineAction } from './action.js';
import { RecordData } from './data.js';

/** Set Up Coupling on the record card: the candidates card replaces it. */
export const coupleSetUpAction = defineAction({
  verb: Verb.coupleSetUp,
  data: RecordData,
  async handle(data, turn, services) {
    const m = await services.mappings.get(data.mapping);
    const view = await services.coupling.setUpCoupling(turn.actor, m.bcTable, data.number);
    return setUpCouplingCard(view, services);
  },
});

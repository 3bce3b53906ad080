import { Verb } from '../../cards/index.js';
import { card } from '../views/cards.js';
import { defineAction } from './action.js';
import { RecordData } from './data.js';

/** Delete Coupling on the record card: asks first, with a confirmation card in its place. */
export const uncoupleRequestAction = defineAction({
  verb: Verb.uncoupleRequest,
  data: RecordData,
  async handle(data, _turn, services) {
    const m = await services.mappings.get(data.mapping);
    return card('confirm', {
      title: 'Delete Coupling',
      text:
        `Delete the coupling of ${m.bcTable} ${data.number}? The record stays in Business Central and ` +
        'its row in Dataverse; only the link between them goes.',
      confirmTitle: 'Delete Coupling',
      confirmVerb: Verb.uncoupleConfirm,
      confirmData: { bcTable: m.bcTable, numbers: [data.number] },
    });
  },
});

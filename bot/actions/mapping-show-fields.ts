import { z } from 'zod';
import { Verb } from '../../cards/index.js';
import { textReply } from '../reply.js';
import { card } from '../views/cards.js';
import { mappingView } from '../views/mapping-view.js';
import { defineAction } from './action.js';
import { MappingName } from './data.js';

/** "Show field mappings": the overview card stays; the fields arrive as a new card below it. */
export const mappingShowFieldsAction = defineAction({
  verb: Verb.mappingShowFields,
  data: z.object({ mapping: MappingName }),
  async handle(data, _turn, services) {
    const m = await services.mappings.get(data.mapping);
    return [
      textReply(`Field mappings of ${m.name} are below.`),
      card('mappingFields', mappingView(m, services)),
    ];
  },
});

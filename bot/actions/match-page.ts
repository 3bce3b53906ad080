import { z } from 'zod';
import { Verb } from '../../cards/index.js';
import { resultsCard } from '../match/match-cards.js';
import { defineAction } from './action.js';
import { PageNumber, RowKind, RunId } from './match-data.js';

/** Previous / Next on the results card: another page of the run's rows (reads only that page). */
export const matchPageAction = defineAction({
  verb: Verb.matchPage,
  data: z.object({ runId: RunId, page: PageNumber, kind: RowKind }),
  handle: (data, turn, services) =>
    resultsCard(services, data.runId, {
      canDecide: services.roles.isManager(turn.actor),
      page: data.page,
      ...(data.kind ? { kind: data.kind } : {}),
    }),
});

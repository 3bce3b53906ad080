import { z } from 'zod';
import { card } from '../views/cards.js';
import { mappingView } from '../views/mapping-view.js';
import { defineCommand } from './command.js';

export const mappings = defineCommand({
  patterns: ['mappings', 'mapping list'],
  args: z.object({}),
  example: 'mappings',
  async handle(_args, turn, services) {
    return card('mappings', {
      mappings: (await services.mappings.recent()).map((m) => mappingView(m, services)),
      isManager: services.roles.isManager(turn.actor),
    });
  },
});

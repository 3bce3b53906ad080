import { z } from 'zod';
import { dvLabel } from '../../core/coupling/labels.js';
import { outcome } from '../views/cards.js';
import { DvTable, Pairs } from './args.js';
import { defineCommand } from './command.js';
import { fieldLines, sandboxOf } from './sandbox-guard.js';

/** `sandbox add account name="Contoso Pharmaceuticals" telephone1="…"`: a new Dataverse row. */
export const sandboxAdd = defineCommand({
  patterns: ['sandbox add {table:dv} {fields:pairs}'],
  args: z.object({ table: DvTable, fields: Pairs }),
  example: 'sandbox add account name="Contoso Pharmaceuticals"',
  async handle({ table, fields }, turn, services) {
    const row = await sandboxOf(services).addDv(turn.actor, table, fields);
    return outcome(turn, services, {
      title: 'Sandbox add',
      lines: [`${dvLabel(row)} added in Dataverse.`, ...fieldLines(fields)],
      tone: 'info',
    });
  },
});

import { z } from 'zod';
import { DomainError, ErrorCode } from '../../core/errors.js';
import type { BcRecord } from '../../core/model/record.js';
import { textReply, type Reply } from '../reply.js';
import { expandSelection } from '../../core/coupling/number-selection.js';
import { servedMappingFor } from '../views/mapping-ref.js';
import { synchronizeRecords } from '../views/sync-flow.js';
import { BcTable, NumberSelection } from './args.js';
import { defineCommand } from './command.js';

/** `sync customer 10000 20000..30000`: Synchronize Now — the direction card, or straight to work. */
export const sync = defineCommand({
  patterns: ['sync {table:bc} {numbers:nos}'],
  args: z.object({ table: BcTable, numbers: NumberSelection }),
  example: 'sync customer 10000',
  async handle({ table, numbers }, turn, services) {
    const m = await servedMappingFor(table, services);
    const selected = await expandSelection(table, numbers, services.bc);
    const found = await Promise.all(selected.map((n) => services.bc.getByNumber(table, n)));
    const records = found.filter((r): r is BcRecord => r !== null);
    const missing = selected.filter((_, i) => found[i] === null);
    if (records.length === 0) {
      throw new DomainError(
        ErrorCode.NotFound,
        `There is no ${table} ${missing.join(', ')} in Business Central. Nothing was synchronized.`,
      );
    }
    const answer = await synchronizeRecords(m, records, turn, services);
    const note: Reply[] = missing.length
      ? [textReply(`Not in Business Central, so left out: ${table} ${missing.join(', ')}.`)]
      : [];
    return [...note, ...(Array.isArray(answer) ? answer : [answer as Reply])];
  },
});

import { z } from 'zod';
import { DomainError, ErrorCode } from '../../core/errors.js';
import type { ImportKind } from '../../core/match/import-csv.js';
import { readCsvAttachment } from '../attachments/csv-attachment.js';
import { card } from '../views/cards.js';
import { DvTable, MappingRef } from './args.js';
import { defineCommand } from './command.js';

const KINDS: Partial<Record<DvTable, ImportKind>> = { account: 'accounts', product: 'products' };

/**
 * The type after "as" is one word (customers, vendors, services, 3, 11) or a quoted phrase
 * ("sales inventory"); the mapping slot reads exactly that, and core decides which values are valid.
 */
const typeWord = (t: z.infer<typeof MappingRef>): string => ('table' in t ? t.table : t.name).toLowerCase();

/**
 * `import accounts` / `import products` with a CSV file attached (domain.md §6): core validates every
 * row, sets company id and type code and inserts the valid rows; the report lists rejected lines and
 * offers a match run for the inserted rows. Manager only (core), checked before downloading anything.
 */
export const importRows = defineCommand({
  patterns: ['import {table:dv}', 'import {table:dv} as {type:mapping}'],
  args: z.object({ table: DvTable, type: MappingRef.optional() }),
  example: 'import accounts as vendors (with a CSV file attached)',
  async handle({ table, type }, turn, services) {
    const kind = KINDS[table];
    if (!kind) {
      throw new DomainError(
        ErrorCode.InvalidInput,
        'I can import accounts or products: "import accounts" or "import products" with a CSV file attached.',
      );
    }
    services.roles.requireManager(turn.actor, 'import rows into Dataverse');
    const file = await readCsvAttachment(turn.attachments ?? [], services.match.download);
    const options = type ? { type: typeWord(type) } : {};
    const report = await services.match.importRows(turn.actor, kind, file.text, options);
    return card('importReport', { fileName: file.name, report, canRunMatch: report.accepted > 0 });
  },
});

import { z } from 'zod';
import { DomainError, ErrorCode } from '../../core/errors.js';
import type { ImportKind, ImportReport } from '../../core/match/import-csv.js';
import type { RunOptions } from '../../core/sync/job-runner.js';
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
    const typed = type ? { type: typeWord(type) } : {};
    // The rows go in as an Import job in the background: its card shows how far, then the report.
    const run = async ({ onStarted }: RunOptions) => {
      const report = await services.match.importRows(turn.actor, kind, file.text, {
        ...typed,
        ...(onStarted ? { onStarted } : {}),
      });
      const job = report.jobId ? await services.jobs.get(report.jobId) : null;
      return { report, ...(job ? { job } : {}) };
    };
    const reportCard = async ({ report }: { report: ImportReport }) =>
      card('importReport', { fileName: file.name, report, canRunMatch: report.accepted > 0 });
    // An import done before a progress card would show answers with its report in the turn.
    return services.backgroundJobs.startJob(turn, `Import of ${kind}`, run, reportCard, {
      answerWithinMs: services.match.progressAfterMs,
    });
  },
});

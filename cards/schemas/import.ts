import { z } from 'zod';
import { Id, ShortText, Text } from './common.js';

/** Rejected rows listed on the card; the counts always cover the whole file. */
export const MAX_IMPORT_ROWS = 50;

/** Takes core's ImportReport (core/match/import-csv.ts) as it is, plus the file's name. */
export const ImportReportCardData = z
  .object({
    fileName: ShortText,
    report: z.object({
      kind: ShortText,
      accepted: z.number().int().min(0),
      rejected: z.array(z.object({ line: z.number().int().min(1), reason: Text })).max(100_000),
      /** A match run is offered per mapping the inserted rows belong to. */
      mappings: z.array(Id).max(4),
      /** The Import job: the card names how to undo it. */
      jobId: Id.optional(),
    }),
    /** False when nothing was inserted or the viewer may not run matches. */
    canRunMatch: z.boolean(),
  })
  .transform(({ fileName, report, canRunMatch }) => {
    const rejected = report.rejected.length;
    return {
      title: `Import of ${report.kind}`,
      fileName,
      summary:
        `${report.accepted} row${report.accepted === 1 ? '' : 's'} inserted, ${rejected} rejected.` +
        (report.jobId ? ` A manager can delete them again within 7 days: undo job ${report.jobId}` : ''),
      rejectedRows: report.rejected.slice(0, MAX_IMPORT_ROWS).map((r) => `Line ${r.line}: ${r.reason}`),
      more: rejected > MAX_IMPORT_ROWS ? `…and ${rejected - MAX_IMPORT_ROWS} more rejected rows.` : '',
      runMatch: canRunMatch ? report.mappings.map((mapping) => ({ mapping, title: `Match ${mapping}` })) : [],
    };
  });
export type ImportReportCardData = z.input<typeof ImportReportCardData>;

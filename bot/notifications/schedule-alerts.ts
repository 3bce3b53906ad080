import type { Stall } from '../../core/alerts/alert-watch.js';
import type { RecurringDigest } from '../../core/alerts/recurring-digest.js';
import { STALL_INTERVALS, type MappingHealth } from '../../core/alerts/schedule-health.js';
import type { Job } from '../../core/model/job.js';
import { clip } from '../views/sync-names.js';
import { kindLabel, recurringNote } from '../views/sync-errors.js';

const utc = (d: Date | null): string =>
  d ? `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC` : 'an unknown time';

/** What managers read, once, when a mapping's scheduled runs stopped completing. */
export function stalledText(s: Stall, intervalMinutes: number): string {
  const name = s.mapping.toLowerCase();
  const why = s.lastError
    ? `The last error: ${clip(s.lastError, 600)}`
    : 'No run reported an error: the runs may not be starting (skipped while another run of the mapping went on).';
  return (
    `Scheduled synchronization of ${s.mapping} has not completed since ${utc(s.stalledSince)} ` +
    `(${STALL_INTERVALS} intervals of ${intervalMinutes} minutes). ${why} ` +
    `Type status ${name} to see its jobs and errors ${name} for its records. You will hear once more when it recovers.`
  );
}

/** What managers read, once, when a stalled mapping's scheduled run completed again. */
export function recoveredText(h: MappingHealth, job: Job): string {
  return (
    `Scheduled synchronization of ${h.mapping} completed again at ${utc(job.finishedAt)} ` +
    `(it had not completed since ${utc(h.stalledSince)}). ${job.message}`
  );
}

/** The managers' one message a day about records that loop: counts, and a bounded list. */
export function digestText(d: RecurringDigest): string {
  const records = d.total === 1 ? '1 record fails' : `${d.total} records fail`;
  const fresh = d.newSinceLast > 0 ? ` (${d.newSinceLast} new since the last digest)` : '';
  const lines = [
    `Daily digest, ${d.day}: ${records} the same way run after run${fresh}.`,
    d.perMapping.map((m) => `${m.mapping}: ${m.count}`).join(' · '),
    ...d.errors.map(
      (e) =>
        `- ${e.mapping} ${e.bcNumber || '(unknown)'}: ${kindLabel(e)}. ${recurringNote(e)}, ` +
        `seen ${e.occurrences} times. ${clip(e.message, 200)}`,
    ),
  ];
  if (d.total > d.errors.length) lines.push(`… and ${d.total - d.errors.length} more.`);
  const only = d.perMapping.length === 1 ? d.perMapping[0]?.mapping.toLowerCase() : undefined;
  lines.push(
    `Type errors ${only ? `${only} ` : ''}recurring to act on them. This digest comes once a day while records keep failing.`,
  );
  return lines.join('\n');
}

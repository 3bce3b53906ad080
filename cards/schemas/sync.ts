import { z } from 'zod';
import { Direction } from '../../core/model/mapping.js';
import { JobCounters } from '../../core/model/job.js';
import { FieldValue } from '../../core/model/record.js';
import { outcomeSlices } from './charts.js';
import { countersText, Id, ShortText, Text, When, type Tone } from './common.js';

/** The words of BC's Synchronize Now dialog for each direction. */
const DIRECTION_CHOICE = {
  ToIntegrationTable: 'Send data update to Dataverse',
  FromIntegrationTable: 'Get data update from Dataverse',
  Bidirectional: 'Merge data',
} as const;

/** The direction card lists this many records by name; all of them still travel in the action data. */
const SHOWN_RECORDS = 15;

export const SyncDirectionCardData = z
  .object({
    mapping: Id,
    bcTable: ShortText,
    dvTable: ShortText,
    records: z
      .array(
        z.object({
          bcId: Id,
          number: Id,
          name: ShortText,
          /** Which side changed since the last sync, e.g. "Changed in Business Central". */
          changed: ShortText.default(''),
        }),
      )
      .min(1)
      .max(200),
    /** Core decides what is offered (mapping direction; both sides changed → one-way only). */
    choices: z.array(Direction).min(1).max(3),
    /** Pre-selected; null when a person must choose which side wins (nothing is pre-selected). */
    recommended: Direction.nullable(),
    explanation: Text,
    /** Set when the card answers Synchronize on a Coupled Data Synchronization Error: the button acts on it. */
    errorId: Id.optional(),
  })
  .refine((d) => d.recommended === null || d.choices.includes(d.recommended), {
    message: 'must be one of choices',
    path: ['recommended'],
  })
  .transform((d) => ({
    ...d,
    recommended: d.recommended ?? '',
    errorId: d.errorId ?? '',
    title: d.errorId ? 'Synchronize: choose which side wins' : 'Synchronize Now',
    choiceList: d.choices.map((c) => ({ title: DIRECTION_CHOICE[c], value: c })),
    shown: d.records
      .slice(0, SHOWN_RECORDS)
      .map((r) => ({ text: `${r.number} ${r.name}${r.changed ? ` — ${r.changed}` : ''}` })),
    more: d.records.length > SHOWN_RECORDS ? `…and ${d.records.length - SHOWN_RECORDS} more` : '',
    bcIds: d.records.map((r) => r.bcId),
  }));
export type SyncDirectionCardData = z.input<typeof SyncDirectionCardData>;

const valueText = (v: FieldValue): string => (v === null || v === '' ? '(empty)' : String(v));

const outcomeColor = (outcome: string): Tone =>
  outcome === 'Failed' ? 'Attention' : outcome === 'Skipped' ? 'Warning' : 'Default';

const RecordOutcome = z
  .object({
    number: Id,
    name: ShortText,
    /** Inserted / Modified / Unchanged / Skipped / Failed / Deleted / Restored … */
    outcome: ShortText,
    /** The side that was written: "Dataverse" or "Business Central". */
    target: ShortText.default(''),
    message: Text.default(''),
    changes: z
      .array(z.object({ field: ShortText, from: FieldValue, to: FieldValue }))
      .max(60)
      .default([]),
  })
  .transform((r) => ({
    ...r,
    heading: `${r.number} ${r.name}: ${r.outcome}${r.target ? ` in ${r.target}` : ''}`,
    color: outcomeColor(r.outcome),
    changes: r.changes.map((c) => `${c.field}: ${valueText(c.from)} → ${valueText(c.to)}`),
  }));

export const SyncResultCardData = z
  .object({
    mapping: Id,
    /** "Send data update to Dataverse", "Bidirectional", … as the bot wants to say it. */
    direction: ShortText,
    by: ShortText,
    at: When,
    counters: JobCounters,
    records: z.array(RecordOutcome).max(25),
    /** Records in the run that are not listed on the card. */
    moreRecords: z.number().int().min(0).default(0),
    /** A sentence above the records: why a job stopped, what a scheduled run left to do. */
    summary: Text.default(''),
    /** The job whose changes the Undo button reverses; '' when it changed nothing. */
    undoJobId: z.union([Id, z.literal('')]).default(''),
  })
  .transform((d) => ({
    ...d,
    counters: countersText(d.counters),
    outcome: outcomeSlices(d.counters),
    more: d.moreRecords > 0 ? `…and ${d.moreRecords} more records` : '',
  }));
export type SyncResultCardData = z.input<typeof SyncResultCardData>;

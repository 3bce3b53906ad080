import { z } from 'zod';
import type { JobCounters } from '../../core/model/job.js';

/**
 * Building blocks shared by the card schemas. Bounds are generous for real data yet stop a runaway
 * value early with a message naming the field, before the 80 KB card limit would.
 */
export const ShortText = z.string().max(300);
export const Text = z.string().max(4000);
/** Ids travel back in action data; they must be present and short. */
export const Id = z.string().min(1).max(200);

/**
 * An https link a card opens with Action.OpenUrl ('' for none): built by core's record links, checked
 * again here so that no other scheme or stray whitespace ever reaches a card.
 */
export const LinkUrl = z
  .union([
    z.literal(''),
    z
      .string()
      .max(2000)
      .regex(/^https:\/\/[^\s"<>\\{}]+$/, 'an https URL'),
  ])
  .default('');

/** Open in Business Central / Open in Dataverse of one record; '' where there is none. */
export const RecordLinks = z.object({ bc: LinkUrl, dv: LinkUrl }).default({ bc: '', dv: '' });

/** Date and time as the card shows it: pre-formatted text, or a Date shown as "2024-05-01 10:12 UTC". */
export const When = z
  .union([z.string().max(100), z.date()])
  .transform((v) => (typeof v === 'string' ? v : formatWhen(v)));

/** The one format for dates the bot does not pre-format itself (UTC, minutes, no locale). */
export function formatWhen(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `[{ title, value }]` for FactSets; values are shown as text. */
export const Facts = z
  .array(z.object({ title: ShortText, value: z.union([Text, z.number(), z.boolean(), z.null()]) }))
  .max(30)
  .transform((facts) => facts.map((f) => ({ title: f.title, value: factValue(f.value) })));

/** FactSets refuse empty values in some clients; a dash reads as "nothing here". */
export const factValue = (v: string | number | boolean | null): string =>
  v === null || v === '' ? '—' : typeof v === 'boolean' ? (v ? 'Yes' : 'No') : String(v);

export const yesNo = (v: boolean): string => (v ? 'Yes' : 'No');

/** BC's Integration Synchronization Jobs counters, in BC's column order. */
const COUNTER_LABELS: ReadonlyArray<[keyof JobCounters, string]> = [
  ['inserted', 'Inserted'],
  ['modified', 'Modified'],
  ['deleted', 'Deleted'],
  ['unchanged', 'Unchanged'],
  ['skipped', 'Skipped'],
  ['failed', 'Failed'],
  ['coupled', 'Coupled'],
  ['uncoupled', 'Uncoupled'],
];

export const countersText = (c: JobCounters): string =>
  COUNTER_LABELS.map(([key, label]) => `${label} ${c[key]}`).join(' · ');

/** Human text for a mapping direction, as the direction card and mappings card say it. */
export const DIRECTION_TEXT = {
  Bidirectional: 'Bidirectional',
  ToIntegrationTable: 'To Dataverse (ToIntegrationTable)',
  FromIntegrationTable: 'From Dataverse (FromIntegrationTable)',
} as const;

/** TextBlock colours for "how did it go" (Adaptive Cards named colours). */
export type Tone = 'Good' | 'Attention' | 'Warning' | 'Default' | 'Accent';

import { z } from 'zod';
import { FieldValue } from '../../core/model/record.js';
import { Id, ShortText, Text, When } from './common.js';

const valueText = (v: FieldValue): string => (v === null || v === '' ? '(empty)' : String(v));

const Example = z
  .object({
    number: ShortText,
    name: ShortText,
    changes: z
      .array(z.object({ field: ShortText, from: FieldValue, to: FieldValue }))
      .max(10)
      .default([]),
    /** Why a record would fail or be skipped; core keeps the first 500 characters. */
    message: z.string().max(500).default(''),
  })
  .transform((e) => ({
    heading: [e.number, e.name].filter((s) => s !== '').join(' ') || '(new record)',
    lines: [
      ...e.changes.map((c) => `${c.field}: ${valueText(c.from)} → ${valueText(c.to)}`),
      ...(e.message ? [e.message] : []),
    ],
  }));

/** The preview of a whole-mapping run: what would happen, counted, with a few examples of each. */
export const SyncPreviewCardData = z
  .object({
    previewId: z.string().uuid(),
    mapping: Id,
    /** "Full synchronization · Bidirectional", "Delete Couplings". */
    what: ShortText,
    by: ShortText,
    at: When,
    expiresAt: When,
    categories: z
      .array(
        z.object({
          /** "Would be inserted in Dataverse". */
          label: ShortText,
          count: z.number().int().min(0),
          examples: z.array(Example).max(3),
        }),
      )
      .max(10),
    /** "12 records would stay unchanged." */
    summary: Text,
  })
  .transform((d) => ({
    ...d,
    categories: d.categories.map((c) => ({
      ...c,
      heading: `${c.label}: ${c.count}`,
      more: c.count > c.examples.length ? `…and ${c.count - c.examples.length} more` : '',
    })),
    runData: { previewId: d.previewId },
  }));
export type SyncPreviewCardData = z.input<typeof SyncPreviewCardData>;

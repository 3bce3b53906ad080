import { z } from 'zod';
import { Verb } from '../verbs.js';
import { DEFAULT_HELP_GROUPS } from '../help-content.js';
import { Id, ShortText, Text, When, type Tone } from './common.js';

const HelpGroup = z.object({
  title: ShortText,
  sandboxOnly: z.boolean().default(false),
  commands: z
    .array(z.object({ example: ShortText, description: ShortText, managerOnly: z.boolean().default(false) }))
    .min(1)
    .max(20),
});

export const HelpCardData = z
  .object({
    /** Sandbox commands are listed only when the sandbox connectors are in use. */
    sandbox: z.boolean(),
    isManager: z.boolean(),
    groups: z.array(HelpGroup).max(12).prefault(DEFAULT_HELP_GROUPS),
  })
  .transform((d) => ({
    ...d,
    groups: d.groups
      .filter((g) => d.sandbox || !g.sandboxOnly)
      .map((g) => ({
        title: g.title,
        commands: g.commands.map((c) => ({
          example: c.example,
          description: c.managerOnly ? `${c.description} · Manager only` : c.description,
        })),
      })),
  }));
export type HelpCardData = z.input<typeof HelpCardData>;

/** Values a confirmation may carry back: ids and numbers, never objects (they reach core as filters). */
const ActionValue = z.union([ShortText, z.number(), z.boolean(), z.array(ShortText).max(200)], {
  error: 'must be text, a number, true/false or a list of up to 200 texts',
});

export const ConfirmCardData = z.object({
  title: ShortText,
  text: Text,
  /** Extra lines, e.g. the records concerned. */
  details: z.array(ShortText).max(25).default([]),
  confirmTitle: ShortText.default('Confirm'),
  confirmVerb: z.enum(Verb),
  confirmData: z
    .record(z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,39}$/, 'keys must be short identifiers'), ActionValue)
    .refine((d) => !('verb' in d), 'must not contain "verb"; the renderer sets it from confirmVerb')
    .refine((d) => Object.keys(d).length <= 20, 'at most 20 keys'),
  /** Destructive confirmations (Delete Coupling) get the red button. */
  destructive: z.boolean().default(true),
});
export type ConfirmCardData = z.input<typeof ConfirmCardData>;

const TONES = {
  success: 'Good',
  failure: 'Attention',
  warning: 'Warning',
  info: 'Default',
} as const satisfies Record<string, Tone>;

/** Replaces a clicked card: who did what, when; its one button undoes the job it reports, when there is one. */
export const OutcomeCardData = z
  .object({
    title: ShortText,
    by: ShortText,
    at: When,
    lines: z.array(Text).max(50).default([]),
    tone: z.enum(['success', 'failure', 'warning', 'info']).default('info'),
    /** The job whose changes the Undo button reverses; '' for no button. */
    undoJobId: z.union([Id, z.literal('')]).default(''),
  })
  .transform((d) => ({ ...d, color: TONES[d.tone] }));
export type OutcomeCardData = z.input<typeof OutcomeCardData>;

/** A DomainError (or an unexpected one, with a correlation id) shown to the user. */
export const ErrorCardData = z.object({
  title: ShortText.default('That did not work'),
  message: Text,
  hint: Text.default(''),
  /** Set for unexpected errors only: the id under which the detail was logged. */
  correlationId: ShortText.default(''),
});
export type ErrorCardData = z.input<typeof ErrorCardData>;

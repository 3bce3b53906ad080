import { z } from 'zod';
import { DeletionConflictResolution, Direction, UpdateConflictResolution } from '../../core/model/mapping.js';
import { describeFilter, TableFilter } from '../../core/model/filter.js';
import { DIRECTION_TEXT, ShortText, Text, yesNo } from './common.js';

/**
 * Both cards take the fields of core's IntegrationTableMapping by the same names, so the bot can pass
 * the mappings it loaded as they are (zod drops what the card does not show).
 */
const MappingSummary = z
  .object({
    name: ShortText,
    bcTable: ShortText,
    dvTable: ShortText,
    direction: Direction,
    tableFilter: TableFilter,
    integrationTableFilter: TableFilter,
    syncOnlyCoupled: z.boolean(),
    updateConflictResolution: UpdateConflictResolution,
    deletionConflictResolution: DeletionConflictResolution,
    fields: z.array(z.unknown()).max(500),
    /** Why this connection cannot serve the mapping (it is skipped and refused); null when it can. */
    unavailable: Text.nullable().default(null),
  })
  .transform((m) => ({
    name: m.name,
    tables: `${m.bcTable} ↔ ${m.dvTable}`,
    direction: DIRECTION_TEXT[m.direction],
    tableFilter: describeFilter(m.tableFilter),
    integrationTableFilter: describeFilter(m.integrationTableFilter),
    syncOnlyCoupled: yesNo(m.syncOnlyCoupled),
    updateConflictResolution: m.updateConflictResolution,
    deletionConflictResolution: m.deletionConflictResolution,
    fieldCount: `${m.fields.length} field mappings`,
    availability: m.unavailable ?? 'Available',
    unavailable: m.unavailable ?? '',
  }));

export const MappingsCardData = z.object({
  mappings: z.array(MappingSummary).max(20),
  /** Managers see how to change a mapping. */
  isManager: z.boolean(),
});
export type MappingsCardData = z.input<typeof MappingsCardData>;

const ARROWS = { Bidirectional: '↔', ToIntegrationTable: '→', FromIntegrationTable: '←' } as const;

const FieldRow = z
  .object({
    bcField: ShortText,
    dvField: ShortText,
    direction: Direction,
    constant: ShortText.nullable().default(null),
    status: z.enum(['Enabled', 'Disabled']).default('Enabled'),
    useForMatch: z.boolean().default(false),
    caseSensitive: z.boolean().default(false),
    matchPriority: z.number().int().min(0).default(0),
  })
  .transform((f) => ({
    bcField: f.bcField,
    dvField: f.dvField,
    direction: ARROWS[f.direction],
    constant: f.constant ?? '—',
    status: f.status,
    match: f.useForMatch ? `Priority ${f.matchPriority}${f.caseSensitive ? ', case-sensitive' : ''}` : '—',
  }));

/** `mapping customers`: one mapping, its settings (with the commands that change them) and its fields. */
export const MappingFieldsCardData = z
  .object({
    name: ShortText,
    bcTable: ShortText,
    dvTable: ShortText,
    direction: Direction,
    syncOnlyCoupled: z.boolean(),
    updateConflictResolution: UpdateConflictResolution,
    deletionConflictResolution: DeletionConflictResolution,
    fields: z.array(FieldRow).max(100),
    unavailable: Text.nullable().default(null),
  })
  .transform((m) => {
    const word = m.name.toLowerCase();
    return {
      ...m,
      direction: DIRECTION_TEXT[m.direction],
      syncOnlyCoupled: yesNo(m.syncOnlyCoupled),
      unavailable: m.unavailable ?? '',
      settingsHint:
        `To change them (managers): mapping ${word} direction bidirectional · ` +
        `mapping ${word} sync-only-coupled off · mapping ${word} update-conflicts none|send|get · ` +
        `mapping ${word} deletion-conflicts none|restore|remove-coupling · mapping ${word} reset`,
    };
  });
export type MappingFieldsCardData = z.input<typeof MappingFieldsCardData>;

import { z } from 'zod';
import { BcTable, DvTable } from './tables.js';
import { TableFilter } from './filter.js';

export const Direction = z.enum(['Bidirectional', 'ToIntegrationTable', 'FromIntegrationTable']);
export type Direction = z.infer<typeof Direction>;

export const UpdateConflictResolution = z.enum([
  'None',
  'Send Update to Integration',
  'Get Update from Integration',
]);
export type UpdateConflictResolution = z.infer<typeof UpdateConflictResolution>;

export const DeletionConflictResolution = z.enum(['None', 'Restore Records', 'Remove Coupling']);
export type DeletionConflictResolution = z.infer<typeof DeletionConflictResolution>;

export const SyncAfterCoupling = z.enum([
  'No',
  'Yes - Use the Business Central data',
  'Yes - Use the Dataverse data',
]);
export type SyncAfterCoupling = z.infer<typeof SyncAfterCoupling>;

export const FieldMapping = z.object({
  /** BC field name as the mapping shows it ("Phone No.") */
  bcField: z.string().min(1),
  /** Dataverse column logical name ("telephone1") */
  dvField: z.string().min(1),
  direction: Direction,
  /** Constant written to the target instead of the source value (BC's Constant Value). */
  constant: z.string().nullable().default(null),
  status: z.enum(['Enabled', 'Disabled']).default('Enabled'),
  /** Optional transformation rule name (e.g. 'trim', 'uppercase'). */
  transformation: z.string().nullable().default(null),
  /** Maximum length accepted by the target column, when it has one (accountnumber ≤ 20). */
  maxLength: z.number().int().positive().nullable().default(null),
  /** Match-based coupling criteria (domain.md §4). */
  useForMatch: z.boolean().default(false),
  caseSensitive: z.boolean().default(false),
  matchPriority: z.number().int().min(0).default(0),
});
export type FieldMapping = z.infer<typeof FieldMapping>;

export const IntegrationTableMapping = z.object({
  name: z.string().min(1),
  bcTable: BcTable,
  dvTable: DvTable,
  direction: Direction,
  tableFilter: TableFilter,
  integrationTableFilter: TableFilter,
  syncOnlyCoupled: z.boolean(),
  updateConflictResolution: UpdateConflictResolution,
  deletionConflictResolution: DeletionConflictResolution,
  /** Match-based coupling options saved per mapping. */
  createNewIfNoMatch: z.boolean().default(false),
  syncAfterCoupling: SyncAfterCoupling.default('No'),
  /** Mappings that must be synchronized first (CONTACT depends on CUSTOMER/VENDOR). */
  dependsOn: z.array(z.string()).default([]),
  fields: z.array(FieldMapping),
  /** High-water marks: last BC / Dataverse modified-on synchronized by a whole-mapping run. */
  lastSyncedBcModifiedOn: z.date().nullable().default(null),
  lastSyncedDvModifiedOn: z.date().nullable().default(null),
  /** Incremented on every change: compare-and-set for concurrent edits. */
  version: z.number().int().min(0).default(0),
  updatedAt: z.date().nullable().default(null),
  updatedBy: z.string().nullable().default(null),
});
export type IntegrationTableMapping = z.infer<typeof IntegrationTableMapping>;

/** True when data may flow BC → Dataverse for this direction. */
export const flowsToDataverse = (d: Direction): boolean => d !== 'FromIntegrationTable';
/** True when data may flow Dataverse → BC for this direction. */
export const flowsToBusinessCentral = (d: Direction): boolean => d !== 'ToIntegrationTable';

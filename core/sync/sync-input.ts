import { z } from 'zod';
import { DomainError, ErrorCode } from '../errors.js';
import { flowsToBusinessCentral, flowsToDataverse, type IntegrationTableMapping } from '../model/mapping.js';
import type { SyncOption } from './change-detection.js';
import type { PlanMode } from './plan.js';

/** Input of Synchronize Now, validated before anything is read or written. */

export const MAX_RECORDS_PER_REQUEST = 5000;

/** BC's words for each Synchronize Now option (the direction card, result cards). */
export const OPTION_WORDS: Record<SyncOption, string> = {
  ToIntegrationTable: 'Send data update to Dataverse',
  FromIntegrationTable: 'Get data update from Dataverse',
  Bidirectional: 'Merge data',
};

const SyncDirection = z.enum(['ToIntegrationTable', 'FromIntegrationTable', 'Bidirectional']);

export function parseDirection(value: unknown): SyncOption {
  const r = SyncDirection.safeParse(value);
  if (r.success) return r.data;
  const shown = typeof value === 'string' ? `"${value.slice(0, 40)}"` : 'that';
  const valid = Object.entries(OPTION_WORDS)
    .map(([k, w]) => `${k} (${w})`)
    .join(', ');
  throw new DomainError(
    ErrorCode.InvalidInput,
    `${shown} is not a synchronization direction; use ${valid}. Nothing was changed.`,
  );
}

export function parseBcIds(value: unknown): string[] {
  const r = z.array(z.string().min(1).max(100)).min(1).max(MAX_RECORDS_PER_REQUEST).safeParse(value);
  if (r.success) return [...new Set(r.data)];
  throw new DomainError(
    ErrorCode.InvalidInput,
    `Name 1 to ${MAX_RECORDS_PER_REQUEST} records to synchronize; nothing was changed.`,
  );
}

/** Refuses a direction the mapping does not allow, saying which ones it does. */
export function requireAllowed(mapping: IntegrationTableMapping, option: SyncOption): void {
  const ok =
    option === 'Bidirectional'
      ? mapping.direction === 'Bidirectional'
      : option === 'ToIntegrationTable'
        ? flowsToDataverse(mapping.direction)
        : flowsToBusinessCentral(mapping.direction);
  if (ok) return;
  const allowed = optionsOf(mapping)
    .map((o) => OPTION_WORDS[o])
    .join(' or ');
  throw new DomainError(
    ErrorCode.NotAllowedByMapping,
    `Mapping ${mapping.name} is ${mapping.direction}: choose ${allowed}. Nothing was changed.`,
  );
}

export const optionsOf = (m: IntegrationTableMapping): SyncOption[] =>
  m.direction === 'Bidirectional'
    ? ['ToIntegrationTable', 'FromIntegrationTable', 'Bidirectional']
    : [m.direction];

export const modeFor = (option: SyncOption): PlanMode =>
  option === 'Bidirectional' ? { kind: 'auto', full: true } : { kind: 'forced', pass: option };

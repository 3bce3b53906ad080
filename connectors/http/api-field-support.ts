import { bcApiField, bcEntity } from './bc-entities.js';
import type { IntegrationTableMapping } from '../../core/model/mapping.js';

/**
 * Business Central API v2.0 does not offer every field the default mappings use (customers have no
 * "Contact", contacts no "First Name"/"Surname", currencies no "Currency Factor"; see bc-entities.ts).
 * Over HTTP such a field reads as absent, so synchronizing it would blank the Dataverse column
 * (BC → Dataverse) or fail the record (Dataverse → BC). With the real connectors, mappings are therefore
 * shown and applied with those field mappings Disabled — exactly what a manager would set in BC.
 * Only the view changes: the stored mapping keeps them, so switching back to the sandbox restores them.
 * A table API v2.0 lacks altogether (Resource) is left as it is: the connector's own error says why.
 */
export function disableFieldsTheApiLacks(mapping: IntegrationTableMapping): IntegrationTableMapping {
  if (!hasEntitySet(mapping.bcTable)) return mapping;
  if (mapping.fields.every((f) => bcApiField(mapping.bcTable, f.bcField) !== undefined)) return mapping;
  return {
    ...mapping,
    fields: mapping.fields.map((f) =>
      bcApiField(mapping.bcTable, f.bcField) === undefined ? { ...f, status: 'Disabled' } : f,
    ),
  };
}

function hasEntitySet(table: IntegrationTableMapping['bcTable']): boolean {
  try {
    bcEntity(table);
    return true;
  } catch {
    return false;
  }
}

const isMapping = (value: unknown): value is IntegrationTableMapping =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { bcTable?: unknown }).bcTable === 'string' &&
  Array.isArray((value as { fields?: unknown }).fields);

const adapt = (value: unknown): unknown =>
  isMapping(value) ? disableFieldsTheApiLacks(value) : Array.isArray(value) ? value.map(adapt) : value;

/**
 * The mapping service as the HTTP connectors can serve it: every mapping it returns (one or a list)
 * passes through disableFieldsTheApiLacks. Methods are wrapped generically so that a method added to
 * the mapping service later is covered without touching this file.
 */
export function withApiFieldSupport<Service extends object>(service: Service): Service {
  const wrapped: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(service)) {
    if (typeof member !== 'function') {
      wrapped[key] = member;
      continue;
    }
    wrapped[key] = (...args: unknown[]) => {
      const result: unknown = (member as (...a: unknown[]) => unknown).apply(service, args);
      return result instanceof Promise ? result.then(adapt) : adapt(result);
    };
  }
  return wrapped as unknown as Service;
}

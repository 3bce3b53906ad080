/**
 * Ids of the inputs cards submit, and readers that turn a submitted value back into what core expects.
 * The card defines the ids, so reading them lives here too; validation stays in core
 * (`validateCriteria`) and in the bot's action schemas.
 */
export const InputId = Object.freeze({
  syncAfterCoupling: 'syncAfterCoupling',
  direction: 'direction',
  createNew: 'createNew',
  resolveUpdateConflicts: 'resolveUpdateConflicts',
  /** `row:<rowId>` — one checkbox per proposed row on the match results card. */
  rowPrefix: 'row:',
  /** `near:<rowId>` — the near candidate chosen for a row of the match results card (its Dataverse id). */
  nearPrefix: 'near:',
  /** `match:<BC field>`, `case:<BC field>`, `priority:<BC field>` — match criteria per field. */
  matchPrefix: 'match:',
  casePrefix: 'case:',
  priorityPrefix: 'priority:',
} as const);

type Submitted = Readonly<Record<string, unknown>>;

/** Row ids whose checkbox was ticked on the match results card ("true" is Input.Toggle's valueOn). */
export function selectedRowIds(value: Submitted): string[] {
  return Object.entries(value)
    .filter(([key, v]) => key.startsWith(InputId.rowPrefix) && (v === 'true' || v === true))
    .map(([key]) => key.slice(InputId.rowPrefix.length))
    .filter((id) => id.length > 0);
}

/** The Dataverse id chosen among a row's near candidates, or null when the card sent none. */
export function chosenNear(value: Submitted, rowId: string): string | null {
  const v = value[`${InputId.nearPrefix}${rowId}`];
  return typeof v === 'string' && v.length > 0 ? v : null;
}

/** The shape of core's CriteriaInput (core/match/criteria.ts), values still as the card sent them. */
export interface SubmittedCriteria {
  fields: Array<{ bcField: string; match?: unknown; caseSensitive?: unknown; priority?: unknown }>;
  createNew?: unknown;
  syncAfterCoupling?: unknown;
  resolveUpdateConflicts?: unknown;
}

/**
 * Collects the criteria card's inputs for `validateCriteria(mapping, input)`. Returns null when the value
 * carries no criteria (a Run button on another card), meaning "use the saved criteria".
 */
export function submittedCriteria(value: Submitted): SubmittedCriteria | null {
  const byField = new Map<string, SubmittedCriteria['fields'][number]>();
  const field = (name: string) => {
    let f = byField.get(name);
    if (!f) byField.set(name, (f = { bcField: name }));
    return f;
  };
  for (const [key, v] of Object.entries(value)) {
    if (key.startsWith(InputId.matchPrefix)) field(key.slice(InputId.matchPrefix.length)).match = v;
    else if (key.startsWith(InputId.casePrefix))
      field(key.slice(InputId.casePrefix.length)).caseSensitive = v;
    else if (key.startsWith(InputId.priorityPrefix))
      field(key.slice(InputId.priorityPrefix.length)).priority = v;
  }
  if (byField.size === 0) return null;
  const result: SubmittedCriteria = { fields: [...byField.values()] };
  // Hidden inputs (Create New on FromIntegrationTable, conflicts on one-way mappings) are absent: keep saved.
  if (InputId.createNew in value) result.createNew = value[InputId.createNew];
  if (InputId.syncAfterCoupling in value) result.syncAfterCoupling = value[InputId.syncAfterCoupling];
  if (InputId.resolveUpdateConflicts in value)
    result.resolveUpdateConflicts = value[InputId.resolveUpdateConflicts];
  return result;
}

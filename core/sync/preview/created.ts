import { normaliseName } from '../../model/normalise.js';
import type { BcRecord, DvRow } from '../../model/record.js';

/**
 * Records a preview "created", so that later reads of the same run find them as the real run would
 * find the records it created (a second Dataverse row with the same name is then coupled or reported,
 * not created twice). Indexed by id and by the keys the run looks records up by.
 */
export class Created<R extends BcRecord | DvRow> {
  private readonly byId = new Map<string, R>();
  private readonly byKey = new Map<string, R[]>();

  constructor(private readonly keysOf: (r: R) => readonly string[]) {}

  has(id: string): boolean {
    return this.byId.has(id);
  }

  add(r: R): void {
    this.byId.set(r.id, r);
    for (const key of this.keysOf(r)) this.byKey.set(key, [...(this.byKey.get(key) ?? []), r]);
  }

  get(id: string): R | undefined {
    return this.byId.get(id);
  }

  find(key: string): R[] {
    return this.byKey.get(key) ?? [];
  }

  /** `found` from the real system plus the created records it could not know. */
  withMatching(found: R[], key: string, top: number): R[] {
    const ids = new Set(found.map((r) => r.id));
    return [...found, ...this.find(key).filter((r) => !ids.has(r.id))].slice(0, top);
  }
}

/** BC records are looked up by number and by name (ignoring case, spacing and punctuation). */
export const bcKeys =
  (nameField: (r: BcRecord) => string) =>
  (r: BcRecord): string[] => [`no:${r.number}`, `name:${normaliseName(nameField(r))}`];

/** Dataverse rows are looked up by the value of one column. */
export const dvKeys = (r: DvRow): string[] =>
  Object.entries(r.fields).flatMap(([field, v]) =>
    typeof v === 'string' && v !== '' ? [`${field}=${v}`] : [],
  );

import { dvColumnCaption } from '../../model/captions.js';
import type { FieldMapping } from '../../model/mapping.js';
import type { Pass } from '../pass.js';
import type { Translated } from '../values.js';
import { notPrepared, type LookupResolver, type LookupSource } from './source.js';

/** A look-up column whose values cross through the couplings of another mapping. */
export interface CoupledColumn {
  /** The mapping whose couplings translate the values (SALESPEOPLE, CONTACT). */
  mapping: string;
  /** The related BC record as people call it ("Salesperson"), and the command word ("salesperson"). */
  bcNoun: string;
  word: string;
  /** The Dataverse side as people call it ("user", "contact"). */
  dvNoun: string;
  /** What a blank BC value does: clear the column, or leave it as it is (an owner is never blank). */
  blank: 'clear' | 'keep';
}

/**
 * Salesperson Code → ownerid (SALESPEOPLE couplings) and Primary Contact No. ↔ primarycontactid
 * (CONTACT couplings), as Business Central resolves them. A related record that is not coupled leaves
 * the target as it is, and the result says so — it is a note, not a failure (domain.md §1).
 */
export class CoupledLookup implements LookupResolver {
  /** BC code → Dataverse id; null: not coupled. */
  private readonly toDvIds = new Map<string, string | null>();
  /** Dataverse id (lower case) → BC code; null: not coupled. */
  private readonly toBcCodes = new Map<string, string | null>();

  constructor(
    private readonly source: LookupSource,
    private readonly column: CoupledColumn,
  ) {}

  async prepare(_fm: FieldMapping, values: { bc: readonly string[]; dv: readonly string[] }): Promise<void> {
    const { couplings } = this.source;
    const codes = [...new Set(values.bc)].filter((c) => !this.toDvIds.has(c));
    const found = await Promise.all(codes.map((code) => couplings.getByBcNumber(this.column.mapping, code)));
    codes.forEach((code, i) => this.toDvIds.set(code, found[i]?.dvId ?? null));
    const ids = [...new Set(values.dv.map((v) => v.toLowerCase()))].filter((id) => !this.toBcCodes.has(id));
    if (ids.length === 0) return;
    ids.forEach((id) => this.toBcCodes.set(id, null));
    for (const c of await couplings.getManyByDvIds(this.column.mapping, ids)) {
      this.toBcCodes.set(c.dvId.toLowerCase(), c.bcNumber);
    }
  }

  translate(fm: FieldMapping, pass: Pass, value: string | null): Translated {
    const { bcNoun, word, dvNoun, mapping } = this.column;
    if (pass === 'ToIntegrationTable') {
      if (value === null) return this.column.blank === 'clear' ? { ok: true, value: null } : keep(null);
      const id = this.toDvIds.get(value);
      if (id === undefined) return notPrepared(fm, value);
      if (id !== null) return { ok: true, value: id };
      return keep(
        `${bcNoun} ${value} is not coupled to a Dataverse ${dvNoun} (mapping ${mapping}), so ${dvColumnCaption(fm.dvField)} ` +
          `was left as it is: couple ${word} ${value} to set it.`,
      );
    }
    if (value === null) return { ok: true, value: '' };
    const code = this.toBcCodes.get(value.toLowerCase());
    if (code === undefined) return notPrepared(fm, value);
    if (code !== null) return { ok: true, value: code };
    return keep(
      `The Dataverse ${dvNoun} ${value} in ${dvColumnCaption(fm.dvField)} is not coupled to a ${bcNoun.toLowerCase()} ` +
        `(mapping ${mapping}), so ${fm.bcField} was left as it is.`,
    );
  }
}

const keep = (note: string | null): Translated => ({ ok: 'keep', note });

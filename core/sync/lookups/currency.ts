import { dvColumnCaption } from '../../model/captions.js';
import type { FieldMapping } from '../../model/mapping.js';
import type { Pass } from '../pass.js';
import type { Translated } from '../values.js';
import { notPrepared, type LookupResolver, type LookupSource } from './source.js';

/**
 * Currency Code ↔ transactioncurrencyid as Business Central resolves it (domain.md §1): by ISO code,
 * no coupling needed. Blank, or the local currency (LCY) code — API v2.0 returns it where the table
 * holds a blank — is Dataverse's base currency; any other code is the transactioncurrency row with that
 * isocurrencycode. Back from Dataverse, the base currency is blank again. The LCY code and the base
 * currency are read once per run, each code and each row id once.
 */
export class CurrencyLookup implements LookupResolver {
  private base: { lcy: string; baseId: string | null } | null = null;
  /** ISO code (upper case) → row id; null: Dataverse has none. */
  private readonly byCode = new Map<string, string | null>();
  /** Row id (lower case) → ISO code; null: no such row. */
  private readonly byId = new Map<string, string | null>();

  constructor(private readonly source: LookupSource) {}

  async prepare(_fm: FieldMapping, values: { bc: readonly string[]; dv: readonly string[] }): Promise<void> {
    const base = await this.readBase();
    const codes = [...new Set(values.bc.map((c) => c.trim().toUpperCase()))].filter(
      (c) => c !== base.lcy && !this.byCode.has(c),
    );
    await Promise.all(codes.map((code) => this.readCode(code)));
    const ids = [...new Set(values.dv.map((v) => v.toLowerCase()))].filter((id) => !this.byId.has(id));
    if (ids.length === 0) return;
    const rows = await this.source.dv.getMany('transactioncurrency', ids);
    ids.forEach((id) => this.byId.set(id, null));
    for (const row of rows) this.remember(row.id, row.fields.isocurrencycode);
  }

  translate(fm: FieldMapping, pass: Pass, value: string | null): Translated {
    const base = this.base;
    if (!base) return notPrepared(fm, value ?? '');
    return pass === 'ToIntegrationTable' ? this.toDv(fm, base, value) : this.toBc(fm, base, value);
  }

  private toDv(fm: FieldMapping, base: { lcy: string; baseId: string | null }, value: string | null) {
    const code = (value ?? '').trim().toUpperCase();
    // Dataverse always names a base currency; a store that names none (a bare test sandbox) keeps blank.
    if (code === '' || code === base.lcy) return { ok: true as const, value: base.baseId };
    const id = this.byCode.get(code);
    if (id === undefined) return notPrepared(fm, code);
    if (id !== null) return { ok: true as const, value: id };
    return {
      ok: false as const,
      error: `Dataverse has no currency ${code}: add it in Dataverse, or synchronize currencies (couple currency ${code}, Create New).`,
    };
  }

  private toBc(fm: FieldMapping, base: { lcy: string; baseId: string | null }, value: string | null) {
    if (value === null) return { ok: true as const, value: '' };
    const id = value.toLowerCase();
    if (base.baseId !== null && id === base.baseId.toLowerCase()) return { ok: true as const, value: '' };
    const code = this.byId.get(id);
    if (code === undefined) return notPrepared(fm, value);
    if (code === null) {
      return {
        ok: false as const,
        error: `${dvColumnCaption(fm.dvField)} ${value} is no currency in Dataverse, so ${fm.bcField} cannot be set from it.`,
      };
    }
    return { ok: true as const, value: code === base.lcy ? '' : code };
  }

  private async readBase(): Promise<{ lcy: string; baseId: string | null }> {
    if (this.base) return this.base;
    const [lcy, baseId] = await Promise.all([
      this.source.bc.localCurrencyCode(),
      this.source.dv.baseCurrencyId(),
    ]);
    this.base = { lcy: lcy.trim().toUpperCase(), baseId };
    return this.base;
  }

  private async readCode(code: string): Promise<void> {
    const [row] = await this.source.dv.findByField('transactioncurrency', 'isocurrencycode', code, 1);
    this.byCode.set(code, row?.id ?? null);
    if (row) this.remember(row.id, row.fields.isocurrencycode);
  }

  private remember(id: string, iso: unknown): void {
    const code = typeof iso === 'string' && iso.trim() !== '' ? iso.trim().toUpperCase() : null;
    this.byId.set(id.toLowerCase(), code);
    if (code !== null) this.byCode.set(code, id);
  }
}

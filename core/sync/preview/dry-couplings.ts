import type { Coupling } from '../../model/coupling.js';
import type { SyncDeps } from '../deps.js';
import { guarded } from './guard.js';

type Couplings = SyncDeps['couplings'];

/** What the run coupled and uncoupled so far, over the real couplings it reads. */
class Overlay {
  readonly added = { bc: new Map<string, Coupling>(), dv: new Map<string, Coupling>() };
  readonly removed = new Set<string>();

  constructor(private readonly real: Couplings) {}

  async many(side: 'bc' | 'dv', mapping: string, ids: readonly string[]): Promise<Coupling[]> {
    const read =
      side === 'bc' ? this.real.getManyByBcIds(mapping, ids) : this.real.getManyByDvIds(mapping, ids);
    const found = (await read).filter((c) => !this.removed.has(c.bcId));
    const have = new Set(found.map((c) => c.bcId));
    const own = ids.flatMap((id) => this.added[side].get(id) ?? []);
    return [...found, ...own.filter((c) => c.mapping === mapping && !have.has(c.bcId))];
  }

  own(mapping: string): Coupling[] {
    return [...this.added.bc.values()].filter((c) => c.mapping === mapping);
  }

  /** The unique keys hold within the preview too: a record is coupled once. */
  async insert(c: Coupling): Promise<boolean> {
    if ((await this.many('bc', c.mapping, [c.bcId])).length > 0) return false;
    if ((await this.many('dv', c.mapping, [c.dvId])).length > 0) return false;
    this.added.bc.set(c.bcId, c);
    this.added.dv.set(c.dvId, c);
    return true;
  }

  async delete(mapping: string, bcId: string): Promise<Coupling | null> {
    const [c] = await this.many('bc', mapping, [bcId]);
    if (!c) return null;
    if (this.added.bc.delete(bcId)) this.added.dv.delete(c.dvId);
    else this.removed.add(bcId);
    return c;
  }

  /** Real pages without what the run removed, then what it added. */
  async *pages<T>(real: AsyncIterable<T[]>, bcIdOf: (t: T) => string, extra: T[]): AsyncIterable<T[]> {
    for await (const page of real) yield page.filter((t) => !this.removed.has(bcIdOf(t)));
    if (extra.length > 0) yield extra;
  }
}

/**
 * Couplings as the run would leave them, without leaving them: reads are real, seen through what the
 * run itself coupled and uncoupled so far (a record coupled earlier in the run is not offered again),
 * and writes answer as if done.
 */
export function dryCouplings(real: Couplings): Couplings {
  const o = new Overlay(real);
  return guarded<Couplings>('couplings', real, [], {
    getByBcId: async (mapping, bcId) => (await o.many('bc', mapping, [bcId]))[0] ?? null,
    getByBcNumber: async (mapping, number) => {
      const c = await real.getByBcNumber(mapping, number);
      if (c && !o.removed.has(c.bcId)) return c;
      return o.own(mapping).find((x) => x.bcNumber === number) ?? null;
    },
    getManyByBcIds: (mapping, ids) => o.many('bc', mapping, ids),
    getManyByDvIds: (mapping, ids) => o.many('dv', mapping, ids),
    count: async (mapping) => (await real.count(mapping)) + o.own(mapping).length - o.removed.size,
    list: (mapping, options) => o.pages(real.list(mapping, options), (c) => c.bcId, o.own(mapping)),
    bcIds: (mapping, options) =>
      o.pages(
        real.bcIds(mapping, options),
        (id) => id,
        o.own(mapping).map((c) => c.bcId),
      ),
    insert: (c) => o.insert(c),
    deleteByBcId: (mapping, bcId) => o.delete(mapping, bcId),
    setSyncStates: async (states) => states.length,
    reserveCreate: async (_m, _b, dvId) => dvId,
    releaseCreate: async () => undefined,
  });
}

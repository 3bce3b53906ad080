/**
 * Mappings in BC's dependency order (its Dependency Filter, `dependsOn`): a mapping runs after the
 * mappings it depends on — SALESPEOPLE and CURRENCY before CUSTOMER and VENDOR, those before CONTACT —
 * so the couplings a record refers to exist by the time it is synchronized. Otherwise the given order
 * is kept; a dependency on a mapping not in the list is ignored, and a cycle falls back to list order.
 */
export function inDependencyOrder<T extends { name: string; dependsOn?: readonly string[] }>(
  mappings: readonly T[],
): T[] {
  const byName = new Map(mappings.map((m) => [m.name, m]));
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const out: T[] = [];
  const place = (m: T): void => {
    if (placed.has(m.name) || visiting.has(m.name)) return;
    visiting.add(m.name);
    for (const dep of m.dependsOn ?? []) {
      const first = byName.get(dep);
      if (first) place(first);
    }
    visiting.delete(m.name);
    placed.add(m.name);
    out.push(m);
  };
  mappings.forEach(place);
  return out;
}

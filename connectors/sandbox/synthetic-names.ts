/** Deterministic randomness and company names for the synthetic data generator. */
export interface Random {
  next(): number;
  int(maxExclusive: number): number;
  pick<T>(items: readonly T[]): T;
  shuffle<T>(items: T[]): T[];
}

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function makeRandom(seed: number): Random {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number): number => Math.floor(next() * max);
  return {
    next,
    int,
    pick: (items) => items[int(items.length)]!,
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = int(i + 1);
        [items[i], items[j]] = [items[j]!, items[i]!];
      }
      return items;
    },
  };
}

const SYLLABLES = [
  'ba',
  'ce',
  'do',
  'fa',
  'ga',
  'hel',
  'ko',
  'la',
  'mi',
  'no',
  'pra',
  'qui',
  'ro',
  'sa',
  'tor',
  'ul',
  'va',
  'wen',
  'xi',
  'zo',
];
const KINDS = [
  'Traders',
  'Systems',
  'Foods',
  'Logistics',
  'Partners',
  'Studios',
  'Supply',
  'Works',
  'Labs',
  'Outfitters',
];

const word = (r: Random): string => {
  const w = Array.from({ length: 2 + r.int(2) }, () => r.pick(SYLLABLES)).join('');
  return w.charAt(0).toUpperCase() + w.slice(1);
};

/** `count` distinct names such as "Lamiro Sator Traders"; distinct also after normalisation. */
export function uniqueNames(r: Random, count: number): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  while (out.length < count) {
    const name = `${word(r)} ${word(r)} ${r.pick(KINDS)}`;
    const key = name.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(name);
  }
  return out;
}

/** The same name as someone else might type it: other case, double spaces, or punctuation. */
export function nearVariant(r: Random, name: string): string {
  switch (r.int(3)) {
    case 0:
      return name.toLowerCase();
    case 1:
      return name.replace(' ', '  ');
    default:
      return name.replace(' ', ', ').concat('.');
  }
}

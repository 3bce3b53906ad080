import type { FieldValue } from '../../model/record.js';
import type { FieldChange } from '../fields.js';
import type { RecordResult } from '../outcome.js';
import { ResultSink } from '../run-context.js';
import type { DryWrites } from './dry-ports.js';

/** Examples kept per category, and field changes per example: counts are exact, the rest bounded. */
export const EXAMPLES = 3;
export const CHANGES_PER_EXAMPLE = 10;

export const CATEGORIES = [
  'insertedInDataverse',
  'insertedInBusinessCentral',
  'modifiedInDataverse',
  'modifiedInBusinessCentral',
  'coupled',
  'uncoupled',
  'conflicts',
  'errors',
] as const;
export type Category = (typeof CATEGORIES)[number];

export interface PreviewExample {
  bcId: string | null;
  /** '' for a record Business Central would create (it gets its number then). */
  bcNumber: string;
  dvId: string | null;
  /** The record's name (BC's, or the Dataverse row's when BC has no record yet); filled in after the run. */
  name: string;
  changes: Array<{ side: 'bc' | 'dv'; field: string; old: FieldValue; new: FieldValue }>;
  message: string;
}

export interface PreviewCategory {
  count: number;
  examples: PreviewExample[];
}

export type PreviewSummary = Record<Category, PreviewCategory> & { unchanged: number };

const none = (): PreviewCategory => ({ count: 0, examples: [] });
export const emptySummary = (): PreviewSummary => ({
  insertedInDataverse: none(),
  insertedInBusinessCentral: none(),
  modifiedInDataverse: none(),
  modifiedInBusinessCentral: none(),
  coupled: none(),
  uncoupled: none(),
  conflicts: none(),
  errors: none(),
  unchanged: 0,
});

/** The categories one result falls in: a merge can modify a record on both sides. */
function categoriesOf(r: RecordResult, writes: DryWrites): Category[] {
  switch (r.outcome) {
    case 'Inserted':
      return [r.dvId && writes.createdDv.has(r.dvId) ? 'insertedInDataverse' : 'insertedInBusinessCentral'];
    case 'Modified': {
      const sides = new Set(r.changes.map((c) => c.side));
      return [
        ...(sides.has('dv') ? (['modifiedInDataverse'] as const) : []),
        ...(sides.has('bc') ? (['modifiedInBusinessCentral'] as const) : []),
      ];
    }
    case 'Coupled':
      return ['coupled'];
    case 'Uncoupled':
    case 'Deleted':
      return ['uncoupled'];
    case 'Skipped':
      return ['conflicts'];
    case 'Failed':
      return ['errors'];
    default:
      return [];
  }
}

const onSide = (category: Category, c: FieldChange): boolean =>
  category === 'modifiedInDataverse'
    ? c.side === 'dv'
    : category === 'modifiedInBusinessCentral'
      ? c.side === 'bc'
      : true;

function exampleOf(r: RecordResult, category: Category, writes: DryWrites): PreviewExample {
  return {
    // A record the preview "created" has an id nobody can look up.
    bcId: r.bcId && !writes.createdBc.has(r.bcId) ? r.bcId : null,
    bcNumber: r.bcId && writes.createdBc.has(r.bcId) ? '' : r.bcNumber,
    dvId: r.dvId && !writes.createdDv.has(r.dvId) ? r.dvId : null,
    name: '',
    changes: r.changes
      .filter((c) => onSide(category, c))
      .slice(0, CHANGES_PER_EXAMPLE)
      .map((c) => ({ side: c.side, field: c.side === 'dv' ? c.dvField : c.bcField, old: c.old, new: c.new })),
    message: (r.message ?? '').slice(0, 500),
  };
}

/**
 * The results of a dry run, counted per category with the first few of each as examples. It keeps no
 * per-record list, so a preview of a large table holds as much as one of a small table.
 */
export class PreviewSink extends ResultSink {
  readonly summary = emptySummary();

  constructor(private readonly writes: DryWrites) {
    super(false, 0);
  }

  override add(results: readonly RecordResult[]): void {
    super.add(results);
    for (const r of results) {
      if (r.outcome === 'Unchanged') this.summary.unchanged += 1;
      for (const category of categoriesOf(r, this.writes)) {
        const bucket = this.summary[category];
        bucket.count += 1;
        if (bucket.examples.length < EXAMPLES) bucket.examples.push(exampleOf(r, category, this.writes));
      }
    }
  }
}

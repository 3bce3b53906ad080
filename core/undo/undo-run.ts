import { emptyCounters, type Job, type JobCounters } from '../model/job.js';
import type { JournalEntry } from './journal.js';
import type { UndoJournalStore } from './journal-repository.js';
import { reverse, type ReverseDeps, type Reversal } from './reverse.js';

/** Lines an answer lists; the rest are counted. */
const MAX_LINES = 40;

export interface UndoTally {
  counters: JobCounters;
  undone: string[];
  left: string[];
  omitted: number;
}

export interface UndoRunDeps extends ReverseDeps {
  journal: UndoJournalStore;
  progress(undoJobId: string, counters: Partial<JobCounters>): Promise<unknown>;
}

/** The undo stopped midway (the store or a page read failed): what it did until then. */
export class UndoStopped extends Error {
  constructor(
    readonly tally: UndoTally,
    override readonly cause: unknown,
  ) {
    super((cause as Error)?.message ?? String(cause));
  }
}

/** What an entry is about, for the line that says its reversal failed. */
function subjectOf(e: JournalEntry): string {
  switch (e.kind) {
    case 'couplingAdded':
      return `${e.mapping} ${e.bcNumber || e.bcId}`;
    case 'couplingRemoved':
      return `${e.coupling.mapping} ${e.coupling.bcNumber}`;
    case 'syncState':
      return `${e.mapping} ${e.bcId} (last synchronization)`;
    default:
      return e.label;
  }
}

function add(tally: UndoTally, r: Reversal, page: Partial<JobCounters>) {
  // Partly undone (some fields restored, some changed since): counted as both, listed as left.
  for (const k of r.partly ? (['modified', 'skipped'] as const) : [r.counter]) {
    page[k] = (page[k] ?? 0) + 1;
    tally.counters[k] += 1;
  }
  const list = r.undone && !r.partly ? tally.undone : tally.left;
  if (list.length < MAX_LINES) list.push(r.line);
  else tally.omitted += 1;
}

/**
 * Reverses the job's entries not reversed yet, newest first, and notes each page's reversed entries in
 * one write. An entry whose reversal failed (a system refused the write) stays unreversed, so undoing the
 * job again tries it again; one that was reversed, or judged to be left as it is, is not done twice.
 */
export async function reverseJournal(deps: UndoRunDeps, job: Job, undoJobId: string): Promise<UndoTally> {
  const tally: UndoTally = { counters: emptyCounters(), undone: [], left: [], omitted: 0 };
  let dealt: JournalEntry[] = [];
  try {
    for await (const page of deps.journal.read(job.id)) {
      const pageCounters: Partial<JobCounters> = {};
      for (const entry of page) {
        const r = await reverse(deps, undoJobId, job.id, entry).catch((e: unknown): Reversal => ({
          undone: false,
          line: `${subjectOf(entry)}: not undone, ${(e as Error).message}`,
          counter: 'failed',
        }));
        if (r?.counter !== 'failed') dealt.push(entry);
        if (r) add(tally, r, pageCounters);
      }
      await deps.journal.markReversed(job.id, dealt, undoJobId);
      dealt = [];
      await deps.progress(undoJobId, pageCounters);
    }
  } catch (e) {
    // What this page reversed before the stop is noted if the store still answers (else a retry redoes it).
    await deps.journal.markReversed(job.id, dealt, undoJobId).catch(() => undefined);
    throw new UndoStopped(tally, e);
  }
  return tally;
}

/**
 * Records that loop (domain.md §9): an error that comes back the same way run after run, or a record
 * changed on both sides on every run, is "recurring". Three runs in a row that looked at the record
 * make it so; a clean synchronization (the error closes) or a different failure starts the count again.
 */
export const RECURRING_RUNS = 3;

/**
 * What makes two failures "the same": the kind and the message with the parts that differ from run to
 * run (ids, numbers, times) left out, so "HTTP 503 after 12 s" and "after 9 s" are one failure.
 */
export function failureSignature(kind: string, message: string): string {
  const text = message
    .toLowerCase()
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
    .replace(/\d+/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
  return `${kind}:${text}`.slice(0, 500);
}

/** The streak an open error had before this run (what the store keeps). */
export interface StreakBefore {
  signature: string;
  streak: number;
  jobId: string | null;
  recurringSince: Date | null;
}

export interface StreakInput {
  kind: string;
  message: string;
  jobId: string | null;
  /** Set when the caller counted the runs itself (changed on both sides): the streak is this. */
  runs?: number;
}

export interface Streak {
  signature: string;
  streak: number;
  recurringSince: Date | null;
}

/** The streak after this run saw the record fail (again). A run seen twice (two batches, a retry) counts once. */
export function nextStreak(before: StreakBefore | undefined, input: StreakInput, at: Date): Streak {
  const signature = failureSignature(input.kind, input.message);
  let streak: number;
  if (input.runs !== undefined) streak = Math.max(1, input.runs);
  else if (!before || before.signature !== signature) streak = 1;
  else if (input.jobId !== null && before.jobId === input.jobId) streak = before.streak;
  else streak = before.streak + 1;
  const same = before?.signature === signature;
  const recurringSince = streak >= RECURRING_RUNS ? ((same ? before?.recurringSince : null) ?? at) : null;
  return { signature, streak, recurringSince };
}

import { wholeRun } from './whole-run.js';

/**
 * The whole run in a process of its own (started by bench/match.ts), so that its peak RSS is the match's
 * and not that of the fixtures and in-memory runs the bench made before. Arguments: n, seed, criteria
 * as JSON; the result goes back as one IPC message.
 */
const [n, seed, criteria] = process.argv.slice(2);
wholeRun(Number(n), Number(seed), JSON.parse(criteria ?? '{}')).then(
  (result) => process.send?.(result, () => process.exit(0)),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
  },
);

import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'mongod.lock';

/** dbPaths opened by this process, so a second server in the same process is refused too. */
const openHere = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the data directory's lock file (holding our pid). A lock left by a dead process is taken over;
 * one held by a live process, or by another server in this process, is refused with a clear message.
 */
export function acquireLock(dir: string): () => void {
  const resolved = path.resolve(dir);
  const file = path.join(resolved, LOCK_FILE);
  if (openHere.has(resolved)) throw new Error(`embedded-mongo: ${resolved} is already open in this process`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      openHere.add(resolved);
      return () => {
        openHere.delete(resolved);
        try {
          unlinkSync(file);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(holder) && holder !== process.pid && alive(holder)) {
        throw new Error(`embedded-mongo: ${resolved} is locked by running process ${holder} (${file})`);
      }
      unlinkSync(file);
    }
  }
  throw new Error(`embedded-mongo: could not take the lock ${file}`);
}

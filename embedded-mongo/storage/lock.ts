import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'mongod.lock';

/** dbPaths opened by this thread (module state is per thread), so a second server here is refused too. */
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
 * Marks dir as open in this thread, refusing one already open here. The lock file names a process, not
 * a thread, so a thread that runs a server in a worker claims its dir here too (see ../thread.ts).
 */
export function claimInProcess(dir: string): () => void {
  const resolved = path.resolve(dir);
  if (openHere.has(resolved)) throw new Error(`embedded-mongo: ${resolved} is already open in this process`);
  openHere.add(resolved);
  return () => void openHere.delete(resolved);
}

/**
 * Takes the data directory's lock file (holding our pid). A lock left by a dead process is taken over;
 * one held by a live process, or by another server in this process, is refused with a clear message.
 */
export function acquireLock(dir: string): () => void {
  const resolved = path.resolve(dir);
  const file = path.join(resolved, LOCK_FILE);
  const unclaim = claimInProcess(resolved);
  try {
    takeLockFile(resolved, file);
  } catch (err) {
    unclaim();
    throw err;
  }
  return () => {
    unclaim();
    try {
      unlinkSync(file);
    } catch {
      // Already gone: nothing to release.
    }
  };
}

function takeLockFile(dir: string, file: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number.parseInt(readFileSync(file, 'utf8'), 10);
      // Our own pid is stale too: a server of ours that died without releasing it (a killed worker
      // thread), or an earlier run that had the same pid (pid 1 in a container).
      if (Number.isInteger(holder) && holder !== process.pid && alive(holder)) {
        throw new Error(`embedded-mongo: ${dir} is locked by running process ${holder} (${file})`);
      }
      unlinkSync(file);
    }
  }
  throw new Error(`embedded-mongo: could not take the lock ${file}`);
}

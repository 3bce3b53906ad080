import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root (scripts/..). */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Files read with `new URL(…, import.meta.url)` at run time: tsc does not copy them. */
const ASSETS = ['cards/templates'];

/**
 * Compiles with tsc, as production is built: `project` (a tsconfig in the root) into `out` (emptied
 * first), then copies the run-time assets beside the code. False when tsc reported errors (printed).
 * `out` should lie inside the repository, so the compiled files find node_modules as dist/ does.
 */
export function compile(out: string, project = 'tsconfig.build.json'): boolean {
  rmSync(out, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const compiled = spawnSync(process.execPath, [tsc, '-p', project, '--outDir', out], {
    cwd: root,
    stdio: 'inherit',
  });
  if (compiled.status !== 0) return false;
  for (const asset of ASSETS) cpSync(path.join(root, asset), path.join(out, asset), { recursive: true });
  return true;
}

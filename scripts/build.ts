import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCli } from './cli-args.js';

/**
 * `npm run build`: compiles what production runs (bot, cards, core, embedded-mongo) to `dist/` with tsc
 * (tsconfig.build.json) and copies the files read at run time (card templates). Production then runs
 * `node dist/bot/main.js` without tsx.
 */
const CLI = {
  usage: `usage: npm run build -- [--out <dir>]

Compiles the bot to JavaScript (tsconfig.build.json) and copies the card templates.
  --out <dir>  where to write (default dist); production runs node <dir>/bot/main.js`,
  options: { out: { type: 'string' } },
} as const;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Files read with `new URL(…, import.meta.url)` at run time: tsc does not copy them. */
const ASSETS = ['cards/templates'];

function main(): number {
  const { values } = parseCli(CLI);
  const out = path.resolve(root, values.out ?? 'dist');
  rmSync(out, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', out], {
    cwd: root,
    stdio: 'inherit',
  });
  if (compiled.status !== 0) return compiled.status ?? 1;
  for (const asset of ASSETS) cpSync(path.join(root, asset), path.join(out, asset), { recursive: true });
  console.log(
    `Built ${path.relative(root, out) || '.'}/; start it with node ${path.relative(root, out)}/bot/main.js`,
  );
  return 0;
}

process.exit(main());

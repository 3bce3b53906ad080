import path from 'node:path';
import { parseCli } from './cli-args.js';
import { compile, root } from './compile.js';

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

function main(): number {
  const { values } = parseCli(CLI);
  const out = path.resolve(root, values.out ?? 'dist');
  if (!compile(out)) return 1;
  console.log(
    `Built ${path.relative(root, out) || '.'}/; start it with node ${path.relative(root, out)}/bot/main.js`,
  );
  return 0;
}

process.exit(main());

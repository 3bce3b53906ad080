import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseCli } from '../scripts/cli-args.js';
import type { BenchRow, BenchSection } from './types.js';

/**
 * `npm run bench`: runs every bench/*.ts (except this runner and the types) one after the other and
 * prints one table per section. `--only <name>` runs bench/<name>.ts; `--json` also prints every
 * section as one JSON object on the last line (for CI and the closing notes).
 *
 * What is measured is what production runs: compiled JavaScript under plain `node`. Started from the
 * TypeScript sources (under tsx), this runner first compiles the bench and the code it measures with
 * tsc, as `npm run build` does, and runs that copy of itself. tsx would otherwise be measured too: its
 * loader thread (~30 MB of a process's RSS) and the `__name` wrapper it puts around every function
 * (keepNames), which costs a call each time a closure is made. `--source` skips the compilation.
 */
const self = fileURLToPath(import.meta.url);
const here = path.dirname(self);
/** `.ts` when run from the sources, `.js` when compiled. */
const EXT = path.extname(self);
const NOT_BENCHES = new Set(['run', 'types']);

interface Options {
  json: boolean;
  only?: string;
  source: boolean;
}

const CLI = {
  usage: `usage: npm run bench -- [--only <name>] [--json] [--source]

Compiles the code (tsc, as npm run build) and runs every benchmark in bench/ one after the other
under plain node, printing one table per section.
  --only <name>  run bench/<name>.ts only (e.g. --only bot)
  --json         also print every section as one JSON object on the last line
  --source       run the TypeScript sources under tsx, without compiling (tsx's own cost is measured too)`,
  options: { only: { type: 'string' }, json: { type: 'boolean' }, source: { type: 'boolean' } },
} as const;

function parseOptions(argv: readonly string[]): Options {
  const { values } = parseCli(CLI, argv);
  return {
    json: values.json ?? false,
    only: values.only?.replace(/\.[jt]s$/, ''),
    source: values.source ?? false,
  };
}

async function benchFiles(only?: string): Promise<string[]> {
  const names = (await readdir(here))
    .filter((f) => f.endsWith(EXT) && !f.endsWith(`.d${EXT}`))
    .map((f) => f.slice(0, -EXT.length))
    .filter((name) => !NOT_BENCHES.has(name));
  if (!only) return names.sort().map((name) => name + EXT);
  if (!names.includes(only)) {
    throw new Error(`No bench named "${only}". Available: ${names.sort().join(', ')}`);
  }
  return [only + EXT];
}

/**
 * Compiles into test-artifacts/ (inside the repository, so node_modules resolves) and runs the compiled
 * runner there with the same arguments; the copy is removed afterwards. Returns its exit code.
 */
async function runCompiled(argv: readonly string[]): Promise<number> {
  // Imported here only: the compiled runner never compiles, and scripts/compile.ts is not part of it.
  const { compile, root } = await import('../scripts/compile.js');
  const out = path.join(root, 'test-artifacts', `bench-${process.pid}`);
  try {
    console.log('Compiling with tsc (tsconfig.bench.json), as npm run build does…');
    if (!compile(out, 'tsconfig.bench.json')) return 1;
    const ran = spawnSync(process.execPath, [path.join(out, 'bench', 'run.js'), ...argv], {
      stdio: 'inherit',
    });
    return ran.status ?? 1;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const formatValue = (v: number): string =>
  Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumFractionDigits: 2 });

function table(section: BenchSection): string {
  const header = ['metric', 'value', 'unit', 'target', 'pass'];
  const rows = section.rows.map((r: BenchRow) => [
    r.metric,
    formatValue(r.value),
    r.unit,
    r.target ?? '',
    r.pass === undefined ? '' : r.pass ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 1 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const notes = (section.notes ?? []).map((n) => `  note: ${n}`);
  return [
    `\n== ${section.title} ==`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    ...notes,
  ].join('\n');
}

async function runOne(file: string): Promise<{ name: string; section?: BenchSection; error?: string }> {
  const name = file.slice(0, -EXT.length);
  try {
    const mod = (await import(pathToFileURL(path.join(here, file)).href)) as {
      run?: () => Promise<BenchSection>;
    };
    if (typeof mod.run !== 'function') return { name, error: 'exports no run() function' };
    return { name, section: await mod.run() };
  } catch (e) {
    return { name, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseOptions(argv);
  if (EXT === '.ts' && !options.source) {
    await benchFiles(options.only); // an unknown --only is refused before ~10 s of compiling
    process.exitCode = await runCompiled(argv);
    return;
  }
  const results = [];
  for (const file of await benchFiles(options.only)) {
    const result = await runOne(file);
    console.log(result.section ? table(result.section) : `\n== ${result.name} ==\n  FAILED: ${result.error}`);
    results.push(result);
  }
  const failed = results.filter((r) => r.error);
  if (options.json) {
    const sections = Object.fromEntries(results.map((r) => [r.name, r.section ?? { error: r.error }]));
    console.log(JSON.stringify({ sections, failed: failed.map((r) => r.name) }));
  }
  process.exitCode = failed.length > 0 ? 1 : 0;
}

// Exit explicitly: a bench that left a handle open must not hang the run after its figures are printed.
main().then(
  () => process.exit(process.exitCode ?? 0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);

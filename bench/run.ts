import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseCli } from '../scripts/cli-args.js';
import type { BenchRow, BenchSection } from './types.js';

/**
 * `npm run bench`: runs every bench/*.ts (except this runner and the types) one after the other and
 * prints one table per section. `--only <name>` runs bench/<name>.ts; `--json` also prints every
 * section as one JSON object on the last line (for CI and the closing notes).
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const NOT_BENCHES = new Set(['run.ts', 'types.ts']);

interface Options {
  json: boolean;
  only?: string;
}

const CLI = {
  usage: `usage: npm run bench -- [--only <name>] [--json]

Runs every benchmark in bench/ one after the other and prints one table per section.
  --only <name>  run bench/<name>.ts only (e.g. --only bot)
  --json         also print every section as one JSON object on the last line`,
  options: { only: { type: 'string' }, json: { type: 'boolean' } },
} as const;

function parseOptions(argv: readonly string[]): Options {
  const { values } = parseCli(CLI, argv);
  return { json: values.json ?? false, only: values.only?.replace(/\.ts$/, '') };
}

async function benchFiles(only?: string): Promise<string[]> {
  const files = (await readdir(here)).filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !NOT_BENCHES.has(f),
  );
  if (!only) return files.sort();
  if (!files.includes(`${only}.ts`)) {
    throw new Error(
      `No bench named "${only}". Available: ${files.map((f) => f.replace(/\.ts$/, '')).join(', ')}`,
    );
  }
  return [`${only}.ts`];
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
  const name = file.replace(/\.ts$/, '');
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
  const options = parseOptions(process.argv.slice(2));
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

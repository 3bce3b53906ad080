import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * `npm run bench` compiles the code before it measures it (~10 s of tsc); a mistyped section name is
 * refused first, with the names there are, and nothing is compiled.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const artifacts = path.join(root, 'test-artifacts');
const benchBuilds = () =>
  existsSync(artifacts) ? readdirSync(artifacts).filter((f) => f.startsWith('bench-')) : [];

describe('npm run bench', () => {
  it('refuses an unknown --only before compiling, naming the sections there are', () => {
    const before = benchBuilds();
    const ran = spawnSync(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), path.join(root, 'bench', 'run.ts'), '--only', 'mach'],
      { cwd: root, encoding: 'utf8', timeout: 60_000 },
    );
    expect(ran.status).toBe(1);
    expect(ran.stderr).toContain('No bench named "mach". Available: bot, embedded-mongo');
    expect(ran.stderr).toContain('match');
    expect(ran.stdout).not.toContain('Compiling');
    expect(benchBuilds()).toEqual(before);
  });
});

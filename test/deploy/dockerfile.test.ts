import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * No Docker daemon here: the Dockerfile is read instruction by instruction and checked for what the
 * image must be — multi-stage on Node 20 slim, `npm ci` and the build in the first stage, dev
 * dependencies pruned, a non-root user, a health check on /healthz without curl, no secret in a
 * layer, and every file the build needs actually copied.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

function stages(text: string): Stage[] {
  const logical = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const result: Stage[] = [];
  for (const line of logical) {
    const [op = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (op.toUpperCase() === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      result.push({ from: m?.[1] ?? args, name: m?.[2], instructions: [] });
    } else result.at(-1)?.instructions.push({ op: op.toUpperCase(), args });
  }
  return result;
}

const all = stages(readFileSync(path.join(root, 'Dockerfile'), 'utf8'));
const build = all[0]!;
const runtime = all.at(-1)!;
const ops = (stage: Stage, op: string) => stage.instructions.filter((i) => i.op === op).map((i) => i.args);

describe('Dockerfile', () => {
  it('is multi-stage on Node 20 LTS slim', () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    for (const stage of all) expect(stage.from).toMatch(/^node:20(\.\d+)*-slim$/);
  });

  it('installs from the lockfile, builds, and prunes dev dependencies', () => {
    const runs = ops(build, 'RUN').join(' && ');
    expect(runs).toMatch(/npm ci\b/);
    expect(runs).toMatch(/npm run build\b/);
    expect(runs).toMatch(/npm prune --omit=dev\b/);
    expect(runs.indexOf('npm run build')).toBeLessThan(runs.indexOf('npm prune'));
  });

  it('copies every source folder the build compiles, and each copied path exists', () => {
    const copied = ops(build, 'COPY').flatMap((a) => a.split(/\s+/).slice(0, -1));
    for (const source of copied) expect(existsSync(path.join(root, source)), source).toBe(true);
    const buildConfig = JSON.parse(readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8')) as {
      include: string[];
    };
    for (const input of buildConfig.include) {
      expect(
        copied.some((c) => input === c || input.startsWith(`${c}/`)),
        `${input} is compiled but not copied`,
      ).toBe(true);
    }
  });

  it('runs the compiled bot as a non-root user', () => {
    const users = ops(runtime, 'USER');
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    expect(ops(runtime, 'CMD').join(' ')).toContain('dist/bot/main.js');
    const copiedFrom = ops(runtime, 'COPY').join(' ');
    expect(copiedFrom).toContain(`--from=${build.name}`);
    expect(copiedFrom).not.toMatch(/\.env\b/);
  });

  it('checks health on /healthz with node (slim has no curl)', () => {
    const check = ops(runtime, 'HEALTHCHECK').join(' ');
    expect(check).toContain('/healthz');
    expect(check).toMatch(/CMD \["node"/);
    expect(check).not.toMatch(/curl|wget/);
  });

  it('bakes no secret into a layer (ENV or ARG)', () => {
    const declared = all.flatMap((s) => [...ops(s, 'ENV'), ...ops(s, 'ARG')]).join(' ');
    expect(declared).not.toMatch(/PASSWORD|SECRET|TOKEN|MONGODB_URI|CONNECTION_STRING|KEY/i);
  });

  it('.dockerignore keeps local settings, data and dependencies out of the build context', () => {
    const ignored = readFileSync(path.join(root, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['.env', 'node_modules', '.data', 'dist', '.git']) expect(ignored).toContain(entry);
  });
});

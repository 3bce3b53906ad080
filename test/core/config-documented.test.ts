import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { configSchema, loadConfig } from '../../core/config.js';

/**
 * The three places a setting is named — the schema start-up parses, `.env.example` and the README's
 * Configuration table — list the same variables, so a new setting cannot be added in one and
 * forgotten in the others.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const schemaVariables = () => Object.keys(configSchema.shape).sort();

/** `# VAR=value` lines (commented out so that copying the file changes nothing until edited). */
function exampleAssignments(): Map<string, { value: string; comment: string | undefined }> {
  const lines = read('.env.example').split('\n');
  const found = new Map<string, { value: string; comment: string | undefined }>();
  const assignment = /^#?\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;
  lines.forEach((line, i) => {
    const m = assignment.exec(line);
    if (!m) return;
    const previous = lines[i - 1] ?? '';
    const comment = previous.startsWith('# ') && !assignment.test(previous) ? previous : undefined;
    found.set(m[1]!, { value: m[2]!, comment });
  });
  return found;
}

/** The backticked names in the first column of the README's "## Configuration" table. */
function readmeVariables(): string[] {
  const readme = read('README.md');
  const start = readme.indexOf('\n## Configuration\n');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end);
  const names = section
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!))
    .filter((n) => NAME.test(n));
  return [...new Set(names)].sort();
}

describe('configuration is documented where people look', () => {
  it('.env.example lists every variable of the schema, and nothing else', () => {
    expect([...exampleAssignments().keys()].sort()).toEqual(schemaVariables());
  });

  it('each variable in .env.example has a one-line comment above it', () => {
    const missing = [...exampleAssignments()].filter(([, a]) => !a.comment).map(([name]) => name);
    expect(missing).toEqual([]);
  });

  it("the README's Configuration table lists every variable of the schema, and nothing else", () => {
    expect(readmeVariables()).toEqual(schemaVariables());
  });

  it(".env.example's values, uncommented, are accepted by start-up's schema", () => {
    const uncommented = read('.env.example')
      .split('\n')
      .map((l) => l.replace(/^#\s*(?=[A-Za-z_][A-Za-z0-9_]*=)/, ''))
      .join('\n');
    const env = parseEnv(uncommented);
    expect(() => loadConfig(env)).not.toThrow();
  });
});

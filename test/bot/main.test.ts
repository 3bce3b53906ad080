import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('npm start (bot/main.ts)', () => {
  it('stops at start-up with one line naming a bad variable, and exit code 1', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bot/main.ts'], {
      env: { ...process.env, PORT: 'eighty', MONGODB_URI: '', NODE_OPTIONS: '--no-deprecation' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      'Invalid configuration: PORT: expected a whole number from 0 to 65535, got "eighty"',
    );
    expect(run.stdout).toBe('');
  });
});

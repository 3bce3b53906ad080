import { describe, expect, it } from 'vitest';
import { parseCli, wholeNumber, type CliIo } from '../../scripts/cli-args.js';

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function io() {
  const lines = { out: [] as string[], err: [] as string[] };
  const value: CliIo = {
    out: (t) => lines.out.push(t),
    err: (t) => lines.err.push(t),
    exit: (code) => {
      throw new Exit(code);
    },
  };
  return { value, lines };
}

const spec = {
  usage: 'usage: npm run thing -- [--port N] [<file>]',
  options: { port: { type: 'string' }, json: { type: 'boolean' } },
  maxPositionals: 1,
} as const;

const exitOf = (fn: () => unknown): number => {
  try {
    fn();
  } catch (e) {
    if (e instanceof Exit) return e.code;
    throw e;
  }
  return -1;
};

describe('parseCli', () => {
  it('returns the flags and positionals it was given', () => {
    const { values, positionals } = parseCli(spec, ['--port', '42', '--json', 'out.zip'], io().value);
    expect(values).toEqual({ port: '42', json: true });
    expect(positionals).toEqual(['out.zip']);
  });

  it.each([[['--help']], [['-h']], [['--port', '1', '--help']], [['--nope', '--help']]])(
    '%j prints the usage and exits 0',
    (argv) => {
      const t = io();
      expect(exitOf(() => parseCli(spec, argv, t.value))).toBe(0);
      expect(t.lines.out).toEqual([spec.usage]);
    },
  );

  it.each([
    [['--nope'], "Unknown option '--nope'"],
    [['--port'], "Option '--port <value>' argument missing"],
    [['a', 'b'], 'unexpected argument "b"'],
  ])('%j is refused with the reason and the usage, exit 2', (argv, reason) => {
    const t = io();
    expect(exitOf(() => parseCli(spec, argv, t.value))).toBe(2);
    expect(t.lines.err.join('\n')).toContain(reason);
    expect(t.lines.err.join('\n')).toContain(spec.usage);
  });
});

describe('wholeNumber', () => {
  it('takes the default when absent and a value within bounds', () => {
    expect(wholeNumber('port', undefined, 7, 0, 10)).toBe(7);
    expect(wholeNumber('port', '10', 7, 0, 10)).toBe(10);
  });
  it.each(['', 'abc', '1.5', '11', '-1'])('refuses %j naming the flag and the bounds', (v) => {
    expect(() => wholeNumber('port', v, 7, 0, 10)).toThrow(/--port expects a whole number from 0 to 10/);
  });
});

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { chooseLogFormat, createLogger } from '../../core/logger.js';

function sink() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('log format', () => {
  it.each([
    ['auto', true, 'development', 'pretty'],
    ['auto', true, 'test', 'pretty'],
    ['auto', false, 'development', 'json'],
    ['auto', true, 'production', 'json'],
    ['json', true, 'development', 'json'],
    ['pretty', false, 'production', 'pretty'],
  ] as const)('%s on a terminal=%s under %s is %s', (format, isTTY, nodeEnv, expected) => {
    expect(chooseLogFormat(format, { isTTY, nodeEnv })).toBe(expected);
  });

  it('pretty: one readable line per event, level and message first, secrets still redacted', async () => {
    const out = sink();
    const logger = createLogger('info', out.stream, { format: 'pretty' });
    logger.info({ correlationId: 'abc-1', password: 'hunter2' }, 'turn done');
    await new Promise((r) => setTimeout(r, 50));
    const line = out.text().trim();
    expect(line).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: turn done/);
    expect(line).toContain('"correlationId":"abc-1"');
    expect(line).toContain('[redacted]');
    expect(line).not.toContain('hunter2');
    expect(line.split('\n')).toHaveLength(1);
  });

  it('json (not a terminal, or production): one JSON object per line', () => {
    const out = sink();
    createLogger('info', out.stream, { format: 'auto', nodeEnv: 'development' }).info({ a: 1 }, 'hello');
    expect(JSON.parse(out.text())).toMatchObject({ level: 30, msg: 'hello', a: 1 });
  });
});

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
}

describe('logger', () => {
  it('writes structured JSON lines at the configured level', () => {
    const { lines, stream } = capture();
    const log = createLogger('info', stream);
    log.debug('hidden');
    log.info({ correlationId: 'c-1' }, 'turn handled');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'turn handled', correlationId: 'c-1', level: 30 });
  });

  it('redacts secrets and authorization headers wherever they appear', () => {
    const { lines, stream } = capture();
    const log = createLogger('info', stream);
    log.info({
      req: { headers: { authorization: 'Bearer eyJ.secret' } },
      config: { AZURE_CLIENT_SECRET: 'shh' },
    });
    expect(lines.join('')).not.toMatch(/eyJ\.secret|shh/);
    expect(lines.join('')).toContain('[redacted]');
  });
});

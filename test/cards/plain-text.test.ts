import { describe, expect, it } from 'vitest';
import { defuseLinks, defuseLinksDeep } from '../../cards/plain-text.js';

const LINK = /\]\s*\(/;

describe('defuseLinks: text we did not write never becomes a Markdown link', () => {
  it.each([
    ['[Approve here](https://evil.example/phish)'],
    ['No account is named "[x](https://evil.example)" exactly.'],
    ['![img](https://evil.example/pixel.png)'],
    ['[spaced] (https://evil.example)'],
    ['two [a](https://a.example) and [b](https://b.example)'],
  ])('%s', (text) => {
    const out = defuseLinks(text);
    expect(out).not.toMatch(LINK);
    expect(out.replaceAll('\u200B', '').replace(/\]\s*/g, ']')).toBe(text.replace(/\]\s*/g, ']'));
  });

  it.each([['Adatum Corporation'], ['10000'], ['f(x) [draft]'], ['(a+)+$']])(
    'leaves %s exactly as it was',
    (text) => {
      expect(defuseLinks(text)).toBe(text);
    },
  );

  it('walks card data: strings in objects and lists, other values and class instances untouched', () => {
    const when = new Date('2025-01-01T00:00:00Z');
    const data = { name: '[x](https://e.example)', rows: [{ n: '[y](https://e.example)', k: 3 }], when };
    const out = defuseLinksDeep(data);
    expect(JSON.stringify(out)).not.toMatch(LINK);
    expect(out.rows[0]?.k).toBe(3);
    expect(out.when).toBe(when);
  });
});

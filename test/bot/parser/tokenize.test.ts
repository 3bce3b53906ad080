import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../bot/parser/tokenize.js';
import { stripMentions } from '../../../bot/parser/mentions.js';

describe('tokenize', () => {
  it.each([
    ['show customer 10000', [w('show'), w('customer'), w('10000')]],
    ['  couple   vendor 20000 ', [w('couple'), w('vendor'), w('20000')]],
    ['to account "Adatum Corporation"', [w('to'), w('account'), q('Adatum Corporation')]],
    ['to account “Adatum Corporation”', [w('to'), w('account'), q('Adatum Corporation')]],
    ['phone="+1 425 555 0100"', [{ kind: 'pair', key: 'phone', value: '+1 425 555 0100' }]],
    ['name=Contoso city=Redmond', [p('name', 'Contoso'), p('city', 'Redmond')]],
    ['telephone1=""', [p('telephone1', '')]],
    ['10000..30000', [r('10000', '30000')]],
    ['10000 .. 30000', [r('10000', '30000')]],
    ['10000.. 30000', [r('10000', '30000')]],
    ['10000 ..30000', [r('10000', '30000')]],
    ['10000 20000..40000 50000', [w('10000'), r('20000', '40000'), w('50000')]],
  ])('%s', (text, tokens) => {
    expect(tokenize(text)).toEqual({ ok: true, tokens });
  });

  it('refuses an unclosed quote and says how to fix it', () => {
    const result = tokenize('couple customer 10000 to account "Adatum');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/quote is not closed.*"Adatum/);
  });
});

describe('stripMentions', () => {
  it.each([
    ['<at>Coupling Assistant</at> show customer 10000', 'show customer 10000'],
    ['<p><at>Bot</at>&nbsp;help</p>', 'help'],
    [
      'couple customer 10000 to account &quot;Adatum Corporation&quot;',
      'couple customer 10000 to account "Adatum Corporation"',
    ],
    ['plain text', 'plain text'],
  ])('%s → %s', (text, expected) => {
    expect(stripMentions(text)).toBe(expected);
  });
});

function w(text: string) {
  return { kind: 'word', text };
}
function q(text: string) {
  return { kind: 'quoted', text };
}
function p(key: string, value: string) {
  return { kind: 'pair', key, value };
}
function r(from: string, to: string) {
  return { kind: 'range', from, to };
}

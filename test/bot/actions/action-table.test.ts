import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../bot/actions/index.js';
import { Verb } from '../../../cards/index.js';

describe('the card action table', () => {
  it('has exactly one action per verb, so every button a card offers is handled', () => {
    const handled = ACTIONS.map((a) => a.verb as string);
    expect(new Set(handled).size).toBe(handled.length);
    expect([...handled].sort()).toEqual([...(Object.values(Verb) as string[])].sort());
  });
});

import { describe, expect, it } from 'vitest';
import { createCardSeal, SIGNATURE, SIGNED_KEYS } from '../../bot/card-seal.js';
import type { AdaptiveCard } from '../../bot/reply.js';

const card = (data: Record<string, unknown>, verb = 'ca.couple.pick'): AdaptiveCard => ({
  type: 'AdaptiveCard',
  body: [{ type: 'ActionSet', actions: [{ type: 'Action.Execute', verb, data: { verb, ...data } }] }],
});

function sealedData(seal: ReturnType<typeof createCardSeal>, data: Record<string, unknown>, verb?: string) {
  const sealed = seal.seal(card(data, verb)) as unknown as {
    body: Array<{ actions: Array<{ data: Record<string, unknown> }> }>;
  };
  return sealed.body[0]?.actions[0]?.data as Record<string, unknown>;
}

describe('card seal', () => {
  const seal = createCardSeal('a secret');
  const data = { mapping: 'CUSTOMER', bcId: 'b-1', number: '10000', numbers: ['10000', '20000'] };

  it('accepts the data it signed, plus input values the user chose', () => {
    const signed = sealedData(seal, data);
    expect(seal.verify('ca.couple.pick', signed)).toBe(true);
    expect(seal.verify('ca.couple.pick', { ...signed, syncAfterCoupling: 'No' })).toBe(true);
  });

  it.each([
    ['another record id', { bcId: 'b-2' }],
    ['another number in a list', { numbers: ['10000', '30000'] }],
    ['an operator object instead of an id', { bcId: { $ne: null } }],
    ['a signed key removed', { number: undefined }],
    ['the list of signed keys shortened', { [SIGNED_KEYS]: 'mapping,number' }],
    ['another signature', { [SIGNATURE]: 'AAAA' }],
  ])('refuses data with %s', (_name, change) => {
    const signed = sealedData(seal, data);
    expect(seal.verify('ca.couple.pick', { ...signed, ...change })).toBe(false);
  });

  it('refuses data signed for another verb', () => {
    const signed = sealedData(seal, data, 'ca.uncouple.confirm');
    expect(seal.verify('ca.couple.pick', signed)).toBe(false);
  });

  it('refuses unsigned data and data signed with another key', () => {
    expect(seal.verify('ca.couple.pick', { verb: 'ca.couple.pick', ...data })).toBe(false);
    expect(seal.verify('ca.couple.pick', sealedData(createCardSeal('another secret'), data))).toBe(false);
    expect(createCardSeal().verify('ca.couple.pick', sealedData(createCardSeal(), data))).toBe(false);
  });

  it('leaves the card it was given unchanged and signs the Action.Submit fallback alike', () => {
    const original = card(data);
    const withFallback: AdaptiveCard = {
      type: 'AdaptiveCard',
      actions: [
        {
          type: 'Action.Execute',
          verb: 'ca.show',
          data: { verb: 'ca.show', number: '1' },
          fallback: { type: 'Action.Submit', data: { verb: 'ca.show', number: '1' } },
        },
      ],
    };
    const before = JSON.stringify(original);
    seal.seal(original);
    expect(JSON.stringify(original)).toBe(before);
    const sealed = seal.seal(withFallback) as unknown as {
      actions: Array<{ data: Record<string, unknown>; fallback: { data: Record<string, unknown> } }>;
    };
    const submit = sealed.actions[0]?.fallback.data as Record<string, unknown>;
    expect(seal.verify('ca.show', submit)).toBe(true);
  });
});

describe('sealing a shared (frozen) card from the renderer memo', () => {
  const seal = createCardSeal('a secret');

  it('seals it once and hands out the same sealed copy, which still verifies', () => {
    const shared = Object.freeze(card({ number: '10000' }));
    const first = seal.seal(shared);
    expect(seal.seal(shared)).toBe(first);
    expect(first).not.toBe(shared);
    const data = (first as unknown as { body: Array<{ actions: Array<{ data: Record<string, unknown> }> }> })
      .body[0]!.actions[0]!.data;
    expect(seal.verify('ca.couple.pick', data)).toBe(true);
  });

  it('copies an unshared card every time', () => {
    const mine = card({ number: '10000' });
    expect(seal.seal(mine)).not.toBe(seal.seal(mine));
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  cardAttachment,
  CardRenderError,
  expandCard,
  MAX_CARD_BYTES,
  renderCard,
} from '../../cards/render.js';
import type { CardData, CardName } from '../../cards/registry.js';
import { When } from '../../cards/schemas/common.js';
import { maxData } from './support/fixtures.js';
import { texts } from './support/walk.js';

/** Runs a render that must fail and returns the error. */
function failure(run: () => unknown): CardRenderError {
  try {
    run();
  } catch (e) {
    if (e instanceof CardRenderError) return e;
    throw e;
  }
  throw new Error('expected the card to be refused');
}

const withData = <N extends CardName>(name: N, change: (d: CardData<N>) => unknown) => {
  const data = maxData[name]();
  return () => renderCard(name, change(data) as CardData<N>);
};

describe('renderCard refuses invalid data with a message naming the card and the field', () => {
  it.each([
    [
      'record without a BC id',
      withData('record', (d) => ({ ...d, bcId: '' })),
      /Card "record" data is invalid: bcId: /,
    ],
    [
      '16 candidates',
      withData('setUpCoupling', (d) => ({ ...d, candidates: [...d.candidates, d.candidates[0]] })),
      /Card "setUpCoupling".*candidates: .*15/,
    ],
    [
      'unknown Synchronize After Coupling',
      withData('setUpCoupling', (d) => ({ ...d, syncAfterCoupling: 'Maybe' })),
      /setUpCoupling.*syncAfterCoupling/,
    ],
    [
      'a confirm verb that is not ours',
      withData('confirm', (d) => ({ ...d, confirmVerb: 'ca.drop.database' })),
      /Card "confirm".*confirmVerb/,
    ],
    [
      'a MongoDB operator object in confirm data',
      withData('confirm', (d) => ({ ...d, confirmData: { bcId: { $ne: null } } })),
      /confirm.*confirmData\.bcId: must be text, a number/,
    ],
    [
      'a "verb" smuggled into confirm data',
      withData('confirm', (d) => ({ ...d, confirmData: { verb: 'ca.match.approveAll' } })),
      /confirmData: must not contain "verb"/,
    ],
    [
      'oversize text',
      withData('error', (d) => ({ ...d, message: 'x'.repeat(5000) })),
      /Card "error".*message: .*4000/,
    ],
    [
      'a counter that is not a number',
      withData('syncResult', (d) => ({ ...d, counters: { ...d.counters, failed: 'many' } })),
      /syncResult.*counters\.failed/,
    ],
    [
      'a job of unknown status',
      withData('jobs', (d) => ({ ...d, jobs: [{ ...d.jobs[0], status: 'Done' }] })),
      /Card "jobs".*jobs\.0\.status/,
    ],
    [
      'a row that is no match outcome',
      withData('matchResults', (d) => ({ ...d, rows: { ...d.rows, rows: [{ rowId: 'x', outcome: {} }] } })),
      /matchResults.*rows\.rows\.0\.outcome/,
    ],
  ])('%s', (_, run, message) => {
    const error = failure(run);
    expect(error.reason).toBe('invalid-data');
    expect(error.message).toMatch(message);
  });

  it('refuses a card name that does not exist', () => {
    const error = failure(() => renderCard('nope' as CardName, {} as never));
    expect(error).toMatchObject({ reason: 'unknown-card', card: 'nope' });
  });
});

describe('renderCard refuses cards Teams would refuse', () => {
  it('refuses a card over 80 KB and says to page', () => {
    const long = 'A long value that keeps repeating itself. '.repeat(90);
    const run = withData('syncResult', (d) => ({
      ...d,
      records: d.records.map((r) => ({
        ...r,
        changes: Array.from({ length: 10 }, () => ({ field: 'Notes', from: long, to: long })),
      })),
    }));
    const error = failure(run);
    expect(error.reason).toBe('too-large');
    expect(error.message).toMatch(
      new RegExp(
        `Card "syncResult" is \\d+ bytes; Teams cards must stay under ${MAX_CARD_BYTES}\\. Show fewer rows and page\\.`,
      ),
    );
  });

  /** A one-TextBlock card whose JSON is exactly `bytes` long, its text made of `unit` and then "a"s. */
  function cardOfSize(bytes: number, unit: string) {
    const definition = {
      schema: z.object({ text: z.string() }),
      template: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: '${text}' }] },
    };
    const empty = Buffer.byteLength(JSON.stringify(expandCard('sized', definition, { text: '' })));
    const jsonBytes = (text: string) => Buffer.byteLength(JSON.stringify(text)) - 2;
    const units = unit.repeat(Math.floor((bytes - empty) / jsonBytes(unit)));
    const text = units + 'a'.repeat(bytes - empty - jsonBytes(units));
    return () => {
      const card = expandCard('sized', definition, { text });
      expect(Buffer.byteLength(JSON.stringify(card))).toBe(bytes);
    };
  }

  it.each([
    ['plain text', 'a'],
    ['accented letters (2 bytes each)', 'é'],
    ['euro signs (3 bytes each)', '€'],
    ['emoji (a surrogate pair, 4 bytes)', '🙂'],
    ['control characters (escaped as 6 bytes)', '\u0001'],
  ])('takes a card of exactly the limit and refuses one byte more, in %s', (_name, unit) => {
    expect(cardOfSize(MAX_CARD_BYTES, unit)).not.toThrow();
    expect(failure(cardOfSize(MAX_CARD_BYTES + 1, unit)).reason).toBe('too-large');
  });

  it('refuses a template expression that could not be expanded', () => {
    const definition = {
      schema: z.object({ name: z.string() }),
      template: {
        type: 'AdaptiveCard',
        version: '1.5',
        body: [{ type: 'TextBlock', text: 'Hello ${nmae}' }],
      },
    };
    const error = failure(() => expandCard('broken', definition, { name: 'Adatum' }));
    expect(error).toMatchObject({ reason: 'leftover-expression', card: 'broken' });
    expect(error.message).toContain('Hello ${nmae}');
  });
});

describe('renderCard with valid data', () => {
  it('shows text that itself looks like an expression as it is', () => {
    const card = renderCard('record', { ...maxData.record(), name: 'Pay ${5} Ltd' });
    expect(texts(card)).toContain('Pay ${5} Ltd');
  });

  it('expands each call from the pristine template: nothing of an earlier card leaks into the next', () => {
    renderCard('record', { ...maxData.record(), name: 'First Customer' });
    const second = renderCard('record', { ...maxData.record(), name: 'Second Customer', coupling: null });
    expect(JSON.stringify(second)).not.toContain('First Customer');
    expect(texts(second)).toContain('Not coupled to Dataverse.');
  });

  it('wraps a card as a Teams attachment', () => {
    const card = renderCard('error', { message: 'x' });
    expect(cardAttachment(card)).toEqual({
      contentType: 'application/vnd.microsoft.card.adaptive',
      content: card,
    });
  });
});

describe('renderCard draws a card from the same data from its memo', () => {
  const data = (n: number) => ({ ...maxData.record(), name: `Memo Customer ${n}` });

  it('returns the same frozen card for the same data, and a fresh one for other data', () => {
    const first = renderCard('record', data(1));
    expect(renderCard('record', data(1))).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.body)).toBe(true);
    const other = renderCard('record', data(2));
    expect(other).not.toBe(first);
    expect(texts(other)).toContain('Memo Customer 2');
  });

  it('is bounded: after many other cards, an early one is rendered afresh, equal to before', () => {
    const early = renderCard('record', data(100));
    for (let n = 101; n < 160; n++) renderCard('record', data(n));
    const again = renderCard('record', data(100));
    expect(again).not.toBe(early);
    expect(again).toEqual(early);
  });

  it('tells a Date from the string of its JSON: each renders as its own schema says', () => {
    const definition = {
      schema: z.object({ at: When }),
      template: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: '${at}' }] },
    };
    const at = new Date('2026-12-07T19:00:00.000Z');
    expect(texts(expandCard('when', definition, { at: at.toISOString() }))).toContain(at.toISOString());
    expect(texts(expandCard('when', definition, { at }))).toContain('2026-12-07 19:00 UTC');
  });

  it('memoizes only data that passed the schema: invalid data is refused after valid data was memoized', () => {
    renderCard('record', data(200));
    const e = failure(() =>
      renderCard('record', { ...data(200), name: 42 } as unknown as CardData<'record'>),
    );
    expect(e.reason).toBe('invalid-data');
  });
});

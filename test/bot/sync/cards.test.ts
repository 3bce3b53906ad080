import { describe, expect, it } from 'vitest';
import { renderCard } from '../../../cards/render.js';
import { parseCard } from '../../cards/support/adaptive-dom.js';
import { maxData } from '../../cards/support/fixtures.js';
import { buttons, inputs, texts } from '../../cards/support/walk.js';

/** The branches of the sync templates this part of the bot added; each must be a valid card. */
const valid = (card: unknown) => {
  expect(JSON.stringify(card)).not.toContain('${');
  expect(parseCard(card).problems).toEqual([]);
};

describe('sync cards, the branches the bot uses', () => {
  it('direction card without a recommendation: nothing pre-selected, the person must choose', () => {
    const card = renderCard('syncDirection', {
      ...maxData.syncDirection(),
      choices: ['ToIntegrationTable', 'FromIntegrationTable'],
      recommended: null,
    });
    valid(card);
    const [choice, ...others] = inputs(card);
    expect(others).toEqual([]);
    expect(choice).toMatchObject({ id: 'direction', label: 'Which side wins?', isRequired: true });
    expect(choice).not.toHaveProperty('value');
  });

  it('direction card for an error: Synchronize acts on the error, not on record ids', () => {
    const errorId = '5b1f4c2e-9a7d-4e3b-8c6f-1d2e3f4a5b6c';
    const card = renderCard('syncDirection', {
      ...maxData.syncDirection(),
      records: maxData.syncDirection().records.slice(0, 1),
      choices: ['ToIntegrationTable', 'FromIntegrationTable'],
      recommended: null,
      errorId,
    });
    valid(card);
    expect(texts(card)[0]).toBe('Synchronize: choose which side wins');
    expect(buttons(card).map((b) => [b['title'], b['verb'], b['data']])).toEqual([
      ['Synchronize', 'ca.error.synchronize', { verb: 'ca.error.synchronize', errorId }],
      ['Cancel', 'ca.cancel', { verb: 'ca.cancel' }],
    ]);
  });

  it('a recommendation that is not offered is refused', () => {
    expect(() =>
      renderCard('syncDirection', {
        ...maxData.syncDirection(),
        choices: ['ToIntegrationTable'],
        recommended: 'FromIntegrationTable',
      }),
    ).toThrow(/recommended: must be one of choices/);
  });

  it('result card with a summary line above the counters', () => {
    const summary = 'Failed: The job stopped: The Dataverse service is not reachable (503).';
    const card = renderCard('syncResult', { ...maxData.syncResult(), summary });
    valid(card);
    expect(texts(card).slice(2, 4)).toEqual([summary, expect.stringMatching(/^Inserted 3 · Modified 120/)]);
    expect(texts(renderCard('syncResult', maxData.syncResult()))).not.toContain('');
  });

  it('jobs card with a closing note (how to re-run Interrupted jobs)', () => {
    const note = 'Interrupted: … re-run it with sync customer modified.';
    const card = renderCard('jobs', { ...maxData.jobs(), note });
    valid(card);
    expect(texts(card).at(-1)).toBe(note);
    expect(texts(renderCard('jobs', maxData.jobs()))).not.toContain(note);
  });
});

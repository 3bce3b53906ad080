import { describe, expect, it } from 'vitest';
import { renderCard, MAX_CARD_BYTES } from '../../cards/render.js';
import { CARD_NAMES, type CardName } from '../../cards/registry.js';
import { isHtmlElement, parseCard } from './support/adaptive-dom.js';
import { maxData } from './support/fixtures.js';
import { variants } from './support/variants.js';
import { lintCard } from './support/lint.js';

const render = <N extends CardName>(name: N) => renderCard(name, maxData[name]());

describe('every card template, rendered with the largest realistic data', () => {
  it.each(CARD_NAMES)('%s expands completely: no ${…} is left', (name) => {
    expect(JSON.stringify(render(name))).not.toContain('${');
  });

  it.each(CARD_NAMES)('%s is an Adaptive Card 1.5 with its $schema', (name) => {
    const card = render(name);
    expect(card).toMatchObject({
      type: 'AdaptiveCard',
      version: '1.5',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    });
  });

  it.each(CARD_NAMES)(
    '%s parses and validates in the adaptivecards renderer without a single problem',
    (name) => {
      const { problems } = parseCard(render(name));
      expect(problems).toEqual([]);
    },
  );

  it.each(CARD_NAMES)(
    '%s has text in every TextBlock and fact, and inputs preset to values they accept',
    (name) => {
      expect(lintCard(render(name))).toEqual([]);
    },
  );

  it.each(CARD_NAMES)('%s renders to an HTML element', (name) => {
    const { element } = parseCard(render(name));
    expect(isHtmlElement(element)).toBe(true);
  });

  it.each(CARD_NAMES)('%s stays well under the 80 KB card limit', (name) => {
    const bytes = Buffer.byteLength(JSON.stringify(render(name)));
    expect(bytes).toBeLessThan(MAX_CARD_BYTES * 0.75);
  });
});

describe('the other branches of every template', () => {
  it.each(variants.map((v) => [v.label, v] as const))(
    '%s expands, validates and renders without a problem',
    (_, v) => {
      const card = v.render();
      expect(JSON.stringify(card)).not.toContain('${');
      expect(lintCard(card)).toEqual([]);
      const { problems, element } = parseCard(card);
      expect(problems).toEqual([]);
      expect(isHtmlElement(element)).toBe(true);
    },
  );
});

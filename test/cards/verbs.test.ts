import { describe, expect, it } from 'vitest';
import { completeActions } from '../../cards/actions.js';
import { renderCard } from '../../cards/render.js';
import { CARD_NAMES } from '../../cards/registry.js';
import { isVerb, Verb } from '../../cards/verbs.js';
import { click, parseCard } from './support/adaptive-dom.js';
import { maxData } from './support/fixtures.js';
import { buttons, inputs, type Node } from './support/walk.js';

const rendered = CARD_NAMES.map((name) => [name, renderCard(name, maxData[name]())] as const);
const executes = (card: unknown) => buttons(card).filter((b) => b['type'] === 'Action.Execute');

describe('verbs', () => {
  it('are unique and carry the app prefix "ca."', () => {
    const verbs = Object.values(Verb);
    expect(new Set(verbs).size).toBe(verbs.length);
    for (const v of verbs) expect(v).toMatch(/^ca\.[a-zA-Z]+(\.[a-zA-Z]+)?$/);
  });

  it('recognise only our own verbs in untrusted input', () => {
    expect(isVerb('ca.match.approveAll')).toBe(true);
    for (const v of ['ca.match.approveall', 'approveAll', '', null, { $ne: null }, 'ca.show '])
      expect(isVerb(v)).toBe(false);
  });

  it('are each used by a card, except those only a confirmation card carries', () => {
    const uncoupled = renderCard('record', {
      ...maxData.record(),
      coupling: null,
      actions: { setUpCoupling: true },
    });
    // The confirmation card carries whatever verb it is given; the others name theirs in the template.
    const cards = [...rendered.filter(([name]) => name !== 'confirm').map(([, card]) => card), uncoupled];
    const used = new Set(cards.flatMap((card) => executes(card).map((b) => b['verb'])));
    const confirmOnly = Object.values(Verb).filter((v) => !used.has(v));
    expect(confirmOnly.sort()).toEqual(
      [Verb.mappingReset, Verb.uncoupleAllConfirm, Verb.uncoupleConfirm].sort(),
    );
  });
});

describe('every button of every card', () => {
  it.each(rendered)('%s: is an Action.Execute whose data.verb is its verb', (_, card) => {
    for (const b of buttons(card)) {
      expect(b['type']).toBe('Action.Execute');
      expect(isVerb(b['verb'])).toBe(true);
      expect((b['data'] as Node)['verb']).toBe(b['verb']);
    }
  });

  it.each(rendered)('%s: falls back to an Action.Submit with the same title and data', (_, card) => {
    for (const b of buttons(card)) {
      expect(b['fallback']).toMatchObject({ type: 'Action.Submit', title: b['title'], data: b['data'] });
    }
  });

  it.each(rendered)('%s: has no input whose id would overwrite a key of button data', (_, card) => {
    const ids = new Set(inputs(card).map((i) => String(i['id'])));
    for (const b of buttons(card))
      for (const key of Object.keys(b['data'] as Node)) expect(ids.has(key)).toBe(false);
  });

  it.each(rendered.filter(([, card]) => buttons(card).length > 0))(
    '%s: in a client without universal actions, becomes Action.Submit sending the same data',
    (_, card) => {
      const parsed = parseCard(card, { withoutExecute: true });
      const first = buttons(card)[0]!;
      const actions = parsed.card.getAllActions();
      expect(actions.map((a) => a.getJsonTypeName())).toEqual(actions.map(() => 'Action.Submit'));
      const sent = click(parsed, String(first['title']));
      expect(sent).toMatchObject({ type: 'Action.Submit', ...(first['data'] as Node) });
    },
  );
});

describe('completing actions', () => {
  const card = (action: Node) => ({ type: 'AdaptiveCard', version: '1.5', body: [], actions: [action] });

  it('refuses a verb that is not in Verb', () => {
    expect(() =>
      completeActions(card({ type: 'Action.Execute', title: 'x', verb: 'ca.nope' }), 'test'),
    ).toThrow('Card "test": Action.Execute has unknown verb "ca.nope"');
  });

  it('refuses data whose verb differs from the action verb', () => {
    const action = { type: 'Action.Execute', title: 'x', verb: Verb.show, data: { verb: Verb.cancel } };
    expect(() => completeActions(card(action), 'test')).toThrow(
      /data\.verb "ca\.cancel" differs from verb ca\.show/,
    );
  });

  it('keeps the fallback in step with style, enablement and associated inputs', () => {
    const action = {
      type: 'Action.Execute',
      title: 'Go',
      verb: Verb.show,
      style: 'destructive',
      isEnabled: false,
      associatedInputs: 'none',
      data: { id: '1' },
    };
    const [done] = (completeActions(card(action), 'test') as { actions: Node[] }).actions;
    expect(done!['fallback']).toEqual({
      type: 'Action.Submit',
      title: 'Go',
      style: 'destructive',
      isEnabled: false,
      associatedInputs: 'none',
      data: { verb: 'ca.show', id: '1' },
    });
  });
});

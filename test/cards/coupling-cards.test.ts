import { describe, expect, it } from 'vitest';
import { renderCard } from '../../cards/render.js';
import type { RecordCardData } from '../../cards/card-types.js';
import { click, parseCard, setInput } from './support/adaptive-dom.js';
import { maxData } from './support/fixtures.js';
import { allText, button, buttonTitles, buttons, inputs, ofType, texts } from './support/walk.js';

const record = (changes: Partial<RecordCardData> = {}) =>
  renderCard('record', { ...maxData.record(), ...changes });

describe('record card', () => {
  it('opens the record where it lives with Action.OpenUrl, and refuses any link that is not https', () => {
    const links = {
      bc: 'https://businesscentral.dynamics.com/t/e/?page=21',
      dv: 'https://org.example/main.aspx',
    };
    const card = record({ links });
    expect(ofType(card, 'Action.OpenUrl').map((a) => [a['title'], a['url']])).toEqual([
      ['Open in Business Central', links.bc],
      ['Open in Dataverse', links.dv],
    ]);
    expect(ofType(record(), 'Action.OpenUrl')).toEqual([]);
    for (const bad of ['javascript:alert(1)', 'http://org.example', 'https://org.example/a b', ' https://x'])
      expect(() => record({ links: { bc: bad, dv: '' } })).toThrow();
  });

  it('shows the record, its key fields and whom it is coupled to, by whom and when', () => {
    const text = allText(record());
    expect(text).toContain('Customer 10000');
    expect(text).toContain('Adatum Corporation');
    expect(text).toContain('Phone No.: +1 425 555 0100');
    expect(text).toContain('Blocked: —');
    expect(text).toContain('Coupled to account Adatum Corporation');
    expect(text).toContain('Coupled by: Alex Wilber');
    expect(text).toContain('Coupled at: 2024-05-01 10:12 UTC');
    expect(text).toContain('Last sync to Business Central: Success');
    expect(text).toContain('Last sync to Dataverse: Failure');
    expect(text).toMatch(/Skipped: synchronization leaves this record out/);
  });

  it('says "Not coupled" and offers only Set Up Coupling for an uncoupled record', () => {
    const card = record({ coupling: null, actions: { setUpCoupling: true } });
    expect(texts(card)).toContain('Not coupled to Dataverse.');
    expect(allText(card)).not.toContain('Coupled to');
    expect(buttonTitles(card)).toEqual(['Set Up Coupling', 'Refresh']);
  });

  it.each([
    [{ setUpCoupling: true }, ['Set Up Coupling', 'Refresh']],
    [{ synchronizeNow: true, deleteCoupling: true }, ['Synchronize Now', 'Delete Coupling', 'Refresh']],
    [{}, ['Refresh']],
  ])('shows exactly the buttons its flags allow: %j', (actions, expected) => {
    expect(buttonTitles(record({ actions }))).toEqual(expected);
  });

  it('shows sync results that never happened as such, and no Skipped warning when not skipped', () => {
    const card = record({
      coupling: { dvTable: 'account', dvName: 'Adatum', dvId: 'dv-1', coupledBy: 'Alex', coupledAt: 'today' },
    });
    expect(allText(card)).toContain('Last sync to Dataverse: Not synchronized yet');
    expect(allText(card)).toContain('Last synchronized: Never');
    expect(allText(card)).not.toContain('Skipped');
  });

  it('carries mapping, BC id and number in every button', () => {
    for (const b of buttons(record())) {
      expect(b['data']).toMatchObject({ mapping: 'CUSTOMER', bcId: maxData.record().bcId, number: '10000' });
    }
  });
});

describe('Set Up Coupling card', () => {
  const data = maxData.setUpCoupling();
  const card = renderCard('setUpCoupling', data);

  it('lists the candidates best first, each with a Couple button for its own Dataverse row', () => {
    const names = ofType(card, 'ColumnSet').map((c) => texts(c)[0]);
    expect(names).toEqual(data.candidates.map((c) => c.name));
    const couples = buttons(card).filter((b) => b['title'] === 'Couple');
    expect(couples.map((b) => (b['data'] as { dvId: string }).dvId)).toEqual(
      data.candidates.map((c) => c.dvId),
    );
    expect(couples[0]!['data']).toEqual({
      verb: 'ca.couple.pick',
      mapping: 'CUSTOMER',
      bcId: data.bcId,
      number: '10000',
      dvId: data.candidates[0]!.dvId,
    });
  });

  it('shows a row already coupled elsewhere with a disabled button and says to what', () => {
    const couples = buttons(card).filter((b) => b['title'] === 'Couple');
    expect(couples.map((b) => b['isEnabled'])).toEqual(data.candidates.map((_, i) => i !== 3));
    expect(texts(card)).toContain('Already coupled to Customer 20000 Trey Research');
  });

  it('shows key columns and the reason next to a candidate', () => {
    expect(texts(card)).toContain(
      'accountnumber: 10000 · telephone1: +1 425 555 0100 · emailaddress1: info0@adatum-corporation.example.com',
    );
    expect(texts(card)).toContain('Same name');
  });

  it('preselects the Synchronize After Coupling the mapping holds', () => {
    const preset = renderCard('setUpCoupling', {
      ...data,
      syncAfterCoupling: 'Yes - Use the Dataverse data',
    });
    expect(inputs(preset)).toMatchObject([
      { id: 'syncAfterCoupling', value: 'Yes - Use the Dataverse data' },
    ]);
  });

  it('sends the chosen Synchronize After Coupling with the Couple click', () => {
    const parsed = parseCard(card);
    setInput(parsed, 'syncAfterCoupling', 'Yes - Use the Dataverse data');
    const sent = click(parsed, 'Couple');
    expect(sent).toMatchObject({
      verb: 'ca.couple.pick',
      dvId: data.candidates[0]!.dvId,
      syncAfterCoupling: 'Yes - Use the Dataverse data',
    });
  });

  it('offers Create New only when allowed, and always Cancel', () => {
    expect(buttonTitles(card).slice(-2)).toEqual(['Create New', 'Cancel']);
    expect(buttonTitles(renderCard('setUpCoupling', { ...data, canCreateNew: false })).slice(-1)).toEqual([
      'Cancel',
    ]);
    expect(buttonTitles(renderCard('setUpCoupling', { ...data, canCreateNew: false }))).not.toContain(
      'Create New',
    );
  });

  it('says so when nothing was found', () => {
    const empty = renderCard('setUpCoupling', { ...data, candidates: [] });
    expect(texts(empty)).toContain('No Dataverse account rows found by name, number, e-mail or phone.');
    expect(buttonTitles(empty)).toEqual(['Create New', 'Cancel']);
  });
});

describe('confirmation card', () => {
  it('asks, lists the details and confirms with the given verb and data, in red', () => {
    const data = maxData.confirm();
    const card = renderCard('confirm', data);
    expect(texts(card).slice(0, 3)).toEqual([data.title, data.text, data.details![0]]);
    const confirm = button(card, 'Delete Couplings');
    expect(confirm).toMatchObject({ verb: 'ca.uncouple.confirm', style: 'destructive' });
    expect(confirm['data']).toEqual({ verb: 'ca.uncouple.confirm', ...data.confirmData });
    expect(button(card, 'Cancel')).toMatchObject({ verb: 'ca.cancel', data: { verb: 'ca.cancel' } });
  });

  it('uses the positive style when the action is not destructive', () => {
    const card = renderCard('confirm', { ...maxData.confirm(), confirmTitle: 'Reset', destructive: false });
    expect(button(card, 'Reset')['style']).toBe('positive');
  });
});

describe('outcome card', () => {
  it('says who did what and when, and has no button at all', () => {
    const card = renderCard('outcome', {
      title: 'Coupling deleted',
      by: 'Megan Bowen',
      at: '2024-05-02 08:00 UTC',
      lines: ['Customer 10000 is no longer coupled.'],
      tone: 'success',
    });
    expect(texts(card)).toEqual([
      'Coupling deleted',
      'By Megan Bowen · 2024-05-02 08:00 UTC',
      'Customer 10000 is no longer coupled.',
    ]);
    expect(ofType(card, 'TextBlock')[0]!['color']).toBe('Good');
    expect(buttons(card)).toEqual([]);
    expect(JSON.stringify(card)).not.toMatch(/Action\.|Input\./);
  });
});

describe('error card', () => {
  it('shows message and hint, and the reference only for unexpected errors', () => {
    const known = renderCard('error', {
      message: 'Customer 99999 does not exist.',
      hint: 'Check the number.',
    });
    expect(texts(known)).toEqual([
      'That did not work',
      'Customer 99999 does not exist.',
      'Check the number.',
    ]);
    const unexpected = renderCard('error', {
      title: 'Sorry',
      message: 'Something went wrong.',
      correlationId: 'c0ffee',
    });
    expect(texts(unexpected)).toEqual([
      'Sorry',
      'Something went wrong.',
      'Reference c0ffee: quote it when you contact your administrator.',
    ]);
    expect(buttons(unexpected)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { renderCard } from '../../cards/render.js';
import type { SyncDirectionCardData } from '../../cards/card-types.js';
import { click, parseCard } from './support/adaptive-dom.js';
import { guid, maxData } from './support/fixtures.js';
import { Verb } from '../../cards/verbs.js';
import { allText, button, buttonTitles, buttons, inputs, texts } from './support/walk.js';

const direction = (changes: Partial<SyncDirectionCardData> = {}) =>
  renderCard('syncDirection', { ...maxData.syncDirection(), ...changes });

describe('Synchronize Now direction card', () => {
  it("offers BC's choices with the recommended one preselected, and explains why", () => {
    const card = direction({ recommended: 'FromIntegrationTable' });
    const [choice] = inputs(card);
    expect(choice).toMatchObject({ id: 'direction', value: 'FromIntegrationTable', style: 'expanded' });
    expect(choice!['choices']).toEqual([
      { title: 'Send data update to Dataverse', value: 'ToIntegrationTable' },
      { title: 'Get data update from Dataverse', value: 'FromIntegrationTable' },
      { title: 'Merge data', value: 'Bidirectional' },
    ]);
    expect(texts(card)).toContain(maxData.syncDirection().explanation);
  });

  it('offers only what core allows (both sides changed: no Merge data)', () => {
    const card = direction({ choices: ['ToIntegrationTable', 'FromIntegrationTable'] });
    expect((inputs(card)[0]!['choices'] as unknown[]).length).toBe(2);
    expect(() => direction({ choices: ['ToIntegrationTable'], recommended: 'Bidirectional' })).toThrow(
      /syncDirection.*recommended: must be one of choices/,
    );
  });

  it('names the first records, counts the rest, and sends every id with the chosen direction', () => {
    const data = maxData.syncDirection();
    const card = direction();
    expect(texts(card)).toContain('10000 Adatum Corporation — Changed in Business Central');
    expect(texts(card)).toContain('…and 185 more');
    const sent = click(parseCard(card), 'Synchronize');
    expect(sent).toMatchObject({ verb: 'ca.sync.run', mapping: 'CUSTOMER', direction: 'ToIntegrationTable' });
    expect(sent['bcIds']).toEqual(data.records.map((r) => r.bcId));
  });
});

describe('synchronization result card', () => {
  it('shows the counters and, per record, its outcome and changed fields old → new', () => {
    const card = renderCard('syncResult', maxData.syncResult());
    const text = texts(card);
    expect(text).toContain(
      'Inserted 3 · Modified 120 · Deleted 0 · Unchanged 9871 · Skipped 2 · Failed 4 · Coupled 0 · Uncoupled 0',
    );
    expect(text).toContain('10000 Adatum Corporation: Failed in Dataverse');
    expect(text).toContain('Account Number is longer than 20 characters.');
    expect(text).toContain('Field 0: +1 425 555 0100 → +1 425 555 0109');
    expect(text).toContain('Field 4: +1 425 555 0140 → (empty)');
    expect(text).toContain('…and 175 more records');
    expect(click(parseCard(card), 'Undo')).toMatchObject({ verb: 'ca.job.undo', jobId: guid(9) });
  });

  it('offers no Undo when the job changed nothing', () => {
    const card = renderCard('syncResult', { ...maxData.syncResult(), undoJobId: '' });
    expect(buttons(card)).toEqual([]);
  });
});

describe('job cards', () => {
  it('a running job shows mapping, type, start and who started it, with a Cancel button', () => {
    const card = renderCard('jobRunning', maxData.jobRunning());
    const text = allText(card);
    expect(text).toContain('Synchronization of CUSTOMER');
    expect(text).toContain('Direction: ToIntegrationTable');
    expect(text).toContain('Started: 2024-05-01 10:12 UTC');
    expect(text).toContain('Started by: Alex Wilber');
    expect(text).toMatch(/Running…/);
    expect(buttonTitles(card)).toEqual(['Cancel']);
    expect(button(card, 'Cancel')['verb']).toBe(Verb.jobCancel);
    expect(button(card, 'Cancel')['data']).toMatchObject({ jobId: maxData.jobRunning().jobId });
  });

  it('the job list shows status and all eight counters per job', () => {
    const card = renderCard('jobs', maxData.jobs());
    const text = texts(card);
    expect(text.filter((t) => t.startsWith('Inserted 3 · Modified 120'))).toHaveLength(25);
    expect(text).toContain('Running');
    expect(text).toContain('The Dataverse service is not reachable (503).');
    expect(text.some((t) => /→ … · by Scheduler · job [0-9a-f-]{36}$/.test(t))).toBe(true);
  });

  it('says so when there are no jobs', () => {
    expect(texts(renderCard('jobs', { scope: 'VENDOR', jobs: [] }))).toContain('No jobs yet for VENDOR.');
  });
});

describe('synchronization errors card', () => {
  it('lists errors with the actions each allows, carrying the error id', () => {
    const data = maxData.syncErrors();
    const errors = data.errors.map((e, i) => ({
      ...e,
      actions: i === 0 ? { retry: true, deleteCoupling: true } : { restore: true, deleteRecord: true },
    }));
    const card = renderCard('syncErrors', { ...data, errors: errors.slice(0, 2) });
    expect(buttonTitles(card)).toEqual([
      'Retry',
      'Delete Coupling',
      'Restore Records',
      'Delete Records',
      'Retry All',
    ]);
    expect(button(card, 'Retry')['data']).toEqual({ verb: 'ca.sync.retry', errorId: errors[0]!.id });
    expect(button(card, 'Restore Records')['data']).toEqual({
      verb: 'ca.error.restore',
      errorId: errors[1]!.id,
    });
    expect(button(card, 'Retry All')['data']).toEqual({ verb: 'ca.sync.retryAll', mapping: 'CUSTOMER' });
    expect(texts(card)).toContain('143 errors for CUSTOMER; the 2 most recent are shown.');
  });

  it('offers Synchronize (choose the side) per error when allowed', () => {
    const card = renderCard('syncErrors', maxData.syncErrors());
    const sync = buttons(card).filter((b) => b['title'] === 'Synchronize…');
    expect(sync).toHaveLength(15);
    expect(sync[0]!['data']).toEqual({
      verb: 'ca.error.synchronize',
      errorId: maxData.syncErrors().errors[0]!.id,
    });
  });

  it('shows no buttons for an empty list', () => {
    const card = renderCard('syncErrors', { scope: 'CUSTOMER', total: 0, errors: [], canRetryAll: false });
    expect(texts(card)).toContain('No synchronization errors for CUSTOMER.');
    expect(buttons(card)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { renderCard } from '../../cards/render.js';
import { DEFAULT_HELP_GROUPS } from '../../cards/help-content.js';
import { describeFilter } from '../../core/model/filter.js';
import { customerMapping, mappings, maxData } from './support/fixtures.js';
import { allText, buttons, ofType, texts } from './support/walk.js';

describe('help card', () => {
  const headings = (card: unknown) =>
    ofType(card, 'TextBlock')
      .filter((t) => t['size'] === 'Medium')
      .map((t) => t['text']);

  it('groups the commands with examples, Sandbox last and only with the sandbox', () => {
    expect(headings(renderCard('help', { sandbox: true, isManager: false }))).toEqual([
      'Coupling',
      'Synchronization',
      'Match-Based Coupling',
      'Mappings',
      'Jobs & errors',
      'Sandbox',
    ]);
    expect(headings(renderCard('help', { sandbox: false, isManager: false }))).not.toContain('Sandbox');
  });

  it('marks manager-only commands and tells a manager they may use them', () => {
    const card = renderCard('help', { sandbox: false, isManager: true });
    expect(texts(card)).toContain('Delete Couplings for the whole table mapping · Manager only');
    expect(texts(card)).toContain('couple customer 10000');
    expect(texts(card)[2]).toMatch(/You are a manager/);
    expect(buttons(card)).toEqual([]);
  });

  it('lists every default example', () => {
    const shown = texts(renderCard('help', { sandbox: true, isManager: false }));
    for (const c of DEFAULT_HELP_GROUPS.flatMap((g) => g.commands)) expect(shown).toContain(c.example);
  });
});

describe('mappings card', () => {
  it('shows each mapping with tables, direction, filters, Synch. Only Coupled Records and conflict settings', () => {
    const card = renderCard('mappings', maxData.mappings());
    const text = allText(card);
    expect(text).toContain('CUSTOMER');
    expect(text).toContain('Customer ↔ account');
    expect(text).toContain(
      `Integration Table Filter: ${describeFilter(customerMapping.integrationTableFilter)}`,
    );
    expect(text).toContain(`Synch. Only Coupled Records: ${customerMapping.syncOnlyCoupled ? 'Yes' : 'No'}`);
    expect(text).toContain(`Resolve Update Conflicts: ${customerMapping.updateConflictResolution}`);
    expect(text).toContain(`Fields: ${customerMapping.fields.length} field mappings`);
    expect(buttons(card).map((b) => b['data'])).toEqual(
      mappings.map((m) => ({ verb: 'ca.mapping.showFields', mapping: m.name })),
    );
  });

  it('tells managers, and only managers, how to change a mapping', () => {
    expect(allText(renderCard('mappings', { mappings, isManager: true }))).toMatch(/To change a mapping/);
    expect(allText(renderCard('mappings', { mappings, isManager: false }))).not.toMatch(
      /To change a mapping/,
    );
  });
});

describe('field mappings card', () => {
  it('shows one table row per field mapping with direction, constant, status and match settings', () => {
    const mapping = {
      ...customerMapping,
      fields: [
        {
          ...customerMapping.fields[0]!,
          bcField: 'Name',
          dvField: 'name',
          direction: 'Bidirectional' as const,
          useForMatch: true,
          matchPriority: 1,
          caseSensitive: true,
        },
        {
          ...customerMapping.fields[0]!,
          bcField: 'Company Id',
          dvField: 'bcbi_companyid',
          direction: 'ToIntegrationTable' as const,
          constant: 'c0ffee',
          status: 'Disabled' as const,
          useForMatch: false,
        },
      ],
    };
    const rows = ofType(renderCard('mappingFields', mapping), 'TableRow').map((r) => texts(r));
    expect(rows).toEqual([
      ['Field', 'Integration Table Field', 'Direction', 'Constant Value', 'Status', 'Match'],
      ['Name', 'name', '↔', '—', 'Enabled', 'Priority 1, case-sensitive'],
      ['Company Id', 'bcbi_companyid', '→', 'c0ffee', 'Disabled', '—'],
    ]);
  });
});

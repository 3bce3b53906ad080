import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../../core/audit/audit-log.js';
import { disableFieldsTheApiLacks, withApiFieldSupport } from '../../../connectors/http/api-field-support.js';
import { defaultMappings } from '../../../core/mappings/defaults.js';
import { createMappingService, type MappingService } from '../../../core/mappings/mapping-service.js';
import type { IntegrationTableMapping } from '../../../core/model/mapping.js';
import { systemClock } from '../../../core/ports/clock.js';
import { createRoles } from '../../../core/roles.js';
import { useTestDb, type TestDb } from '../../support/test-mongo.js';

const COMPANY = '6e0b8a4c-0000-4000-8000-0000000000c1';
const MANAGER = { id: 'manager-1', name: 'Megan' };
const disabled = (m: IntegrationTableMapping) =>
  m.fields.filter((f) => f.status === 'Disabled').map((f) => f.bcField);

describe('field mappings Business Central API v2.0 cannot carry', () => {
  it.each([
    // API v2.0 has no primary contact, and vendors and contacts no salesperson/purchaser code.
    ['CUSTOMER', ['Contact', 'Primary Contact No.']],
    ['VENDOR', ['Contact', 'Primary Contact No.', 'Purchaser Code']],
    ['CONTACT', ['First Name', 'Middle Name', 'Surname', 'Job Title', 'Fax No.', 'Salesperson Code']],
    ['ITEM-PRODUCT', []],
    ['CURRENCY', ['Currency Factor']],
    ['SALESPEOPLE', []],
    // No entity set at all: left as it is, the connector's own error names the table.
    ['RESOURCE-PRODUCT', []],
  ])('%s: %j are Disabled, every other field stays as it was', (name, expected) => {
    const mapping = defaultMappings(COMPANY).find((m) => m.name === name)!;
    const adapted = disableFieldsTheApiLacks(mapping);
    expect(disabled(adapted)).toEqual(expected);
    expect(adapted.fields.filter((f) => !expected.includes(f.bcField))).toEqual(
      mapping.fields.filter((f) => !expected.includes(f.bcField)),
    );
  });
});

describe('the mapping service as the HTTP connectors serve it', () => {
  let db: TestDb;
  let raw: MappingService;
  let served: MappingService;
  beforeAll(async () => {
    db = await useTestDb();
    const roles = createRoles([MANAGER.id]);
    const audit = createAuditLog({ db: db.db, clock: systemClock });
    raw = createMappingService({ db: db.db, roles, audit, clock: systemClock, companyId: COMPANY });
    served = withApiFieldSupport(raw);
    await served.seedDefaults();
  });
  afterAll(() => db.cleanup());

  it('shows one mapping, a list and a changed mapping with those fields Disabled', async () => {
    expect(disabled(await served.get('customer'))).toEqual(['Contact', 'Primary Contact No.']);
    expect(disabled(await served.getForBcTable('Contact'))).toContain('Surname');
    const all = await served.list();
    expect(
      all.find((m) => m.name === 'CURRENCY')!.fields.find((f) => f.bcField === 'Currency Factor')?.status,
    ).toBe('Disabled');
    const changed = await served.setDirection(MANAGER, 'CUSTOMER', 'ToIntegrationTable');
    expect(changed.direction).toBe('ToIntegrationTable');
    expect(disabled(changed)).toEqual(['Contact', 'Primary Contact No.']);
  });

  it('never stores the view: the mapping in the store keeps every field Enabled', async () => {
    expect(disabled(await raw.get('CUSTOMER'))).toEqual([]);
    expect(disabled(await raw.get('CONTACT'))).toEqual([]);
  });

  it('passes refusals through unchanged', async () => {
    await expect(
      served.setDirection({ id: 'someone', name: 'Ben' }, 'CUSTOMER', 'Bidirectional'),
    ).rejects.toThrow(/Only managers can change table mappings/);
    await expect(served.get('PLANETS')).rejects.toThrow(/There is no table mapping "PLANETS"/);
  });
});

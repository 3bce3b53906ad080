import { describe, expect, it } from 'vitest';
import { customerFields } from '../../../core/mappings/default-fields.js';
import { columnCaption, dvCaption, dvColumnCaption } from '../../../core/model/captions.js';
import type { IntegrationTableMapping } from '../../../core/model/mapping.js';

const customer = (fields = customerFields()) =>
  ({ name: 'CUSTOMER', bcTable: 'Customer', dvTable: 'account', fields }) as IntegrationTableMapping;

describe('captions instead of column names', () => {
  it('labels a Dataverse value by the Business Central field the mapping maps to it', () => {
    expect(columnCaption(customer(), 'emailaddress1')).toBe('E-Mail');
    expect(columnCaption(customer(), 'telephone1')).toBe('Phone No.');
    expect(columnCaption(customer(), 'accountnumber')).toBe('No.');
  });

  it('falls back to the Dataverse display name when no enabled field maps to the column', () => {
    const disabled = customerFields().map((f) =>
      f.dvField === 'telephone1' ? { ...f, status: 'Disabled' as const } : f,
    );
    expect(columnCaption(customer(disabled), 'telephone1')).toBe('Main Phone');
    expect(dvCaption('contact', 'telephone1')).toBe('Business Phone');
    expect(dvCaption('product', 'productnumber')).toBe('Product ID');
  });

  it('keeps a column it does not know as it is', () => {
    expect(dvCaption('account', 'cr4f2_custom')).toBe('cr4f2_custom');
    expect(dvColumnCaption('cr4f2_custom')).toBe('cr4f2_custom');
    expect(dvColumnCaption('ownerid')).toBe('Owner');
  });
});

import { describe, expect, it } from 'vitest';
import {
  bcCardUrl,
  createRecordLinks,
  dataverseRecordUrl,
  NO_LINKS,
} from '../../../core/links/record-links.js';

const settings = {
  tenantId: 'contoso.onmicrosoft.com',
  environment: 'Production',
  company: 'CRONUS USA, Inc.',
};
const ID = '2f1e2b5c-0a51-4d4c-9c5e-1b2f0f3a9e11';

describe('bcCardUrl: the web client on the record’s card page', () => {
  it.each([
    ['Customer', '10000', "page=21&filter='No.'%20IS%20'10000'"],
    ['Vendor', '20000', "page=26&filter='No.'%20IS%20'20000'"],
    ['Contact', 'CT000001', "page=5050&filter='No.'%20IS%20'CT000001'"],
    ['Item', '1896-S', "page=30&filter='No.'%20IS%20'1896-S'"],
    ['Salesperson/Purchaser', 'PS', "page=5116&filter='Code'%20IS%20'PS'"],
    ['Currency', 'EUR', "page=495&filter='Code'%20IS%20'EUR'"],
  ] as const)('%s %s → %s', (table, number, tail) => {
    expect(bcCardUrl(settings, table, number)).toBe(
      `https://businesscentral.dynamics.com/contoso.onmicrosoft.com/Production/?company=CRONUS%20USA%2C%20Inc.&${tail}`,
    );
  });

  it('encodes every part: a company, tenant or number cannot add parameters or leave the host', () => {
    const url = bcCardUrl(
      { tenantId: 'a/b?c', environment: 'Sand box#1', company: 'A&B=C #1 /x' },
      'Customer',
      "X'&page=1",
    );
    expect(url).toBe(
      'https://businesscentral.dynamics.com/a%2Fb%3Fc/Sand%20box%231/?company=A%26B%3DC%20%231%20%2Fx' +
        "&page=21&filter='No.'%20IS%20'X''%26page%3D1'",
    );
    expect(new URL(url ?? '').host).toBe('businesscentral.dynamics.com');
    expect(new URL(url ?? '').searchParams.get('filter')).toBe("'No.' IS 'X''&page=1'");
  });

  it('gives no link for what is not a record number', () => {
    expect(bcCardUrl(settings, 'Customer', '')).toBeNull();
    expect(bcCardUrl(settings, 'Customer', 'X'.repeat(21))).toBeNull();
    expect(bcCardUrl(settings, 'Customer', '100\n00')).toBeNull();
  });
});

describe('dataverseRecordUrl: the row’s form in the organisation', () => {
  it('main.aspx with the table’s logical name and the id', () => {
    expect(dataverseRecordUrl('https://contoso.crm.dynamics.com/', 'account', ID.toUpperCase())).toBe(
      `https://contoso.crm.dynamics.com/main.aspx?etn=account&pagetype=entityrecord&id=${ID}`,
    );
  });

  it('gives no link for an id that is not a GUID', () => {
    for (const id of ['', 'abc', `${ID}&etn=systemuser`, `javascript:${ID}`])
      expect(dataverseRecordUrl('https://contoso.crm.dynamics.com', 'account', id)).toBeNull();
  });
});

describe('createRecordLinks', () => {
  const links = (companyName: () => Promise<string | null>) =>
    createRecordLinks({
      businessCentral: { tenantId: 't', environment: 'e', companyName },
      dataverse: { url: 'https://org.example' },
    });

  it('has no Business Central link while the company name cannot be read', async () => {
    expect(
      await links(() => Promise.reject(new Error('503'))).businessCentral('Customer', '10000'),
    ).toBeNull();
    expect(await links(async () => null).businessCentral('Customer', '10000')).toBeNull();
    expect(await links(async () => 'C').businessCentral('Customer', '10000')).toBe(
      "https://businesscentral.dynamics.com/t/e/?company=C&page=21&filter='No.'%20IS%20'10000'",
    );
  });

  it('none at all over the sandbox', async () => {
    expect(await NO_LINKS.businessCentral('Customer', '10000')).toBeNull();
    expect(NO_LINKS.dataverse('account', ID)).toBeNull();
  });
});

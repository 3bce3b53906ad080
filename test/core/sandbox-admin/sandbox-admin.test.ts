import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../core/errors.js';
import { SandboxAdmin } from '../../../core/sandbox-admin/sandbox-admin.js';
import { resetSandbox, SANDBOX_COMPANY_ID } from '../../../connectors/sandbox/seed.js';
import { makeWorld, manager, user, type World } from '../coupling/world.js';

let w: World;
let admin: SandboxAdmin;
beforeAll(async () => {
  w = await makeWorld();
  admin = new SandboxAdmin({
    companyId: SANDBOX_COMPANY_ID,
    reset: () => resetSandbox(w.db),
    bc: w.bc,
    dv: w.dv,
    couplings: w.couplings,
    audit: w.audit,
    roles: w.roles,
  });
});
beforeEach(() => w.reset());
afterAll(() => w.cleanup());

const sandboxAudits = () => w.db.collection('audit').countDocuments({ action: { $regex: '^sandbox\\.' } });

describe('SandboxAdmin', () => {
  it('edits a customer field by a short name, moving modified-on, audited', async () => {
    const before = (await w.bc.getByNumber('Customer', '10000'))!;
    const after = await admin.editBc(user, 'Customer', '10000', {
      phone: '+1 425 555 0199',
      creditlimit: '75000',
    });
    expect(after.fields).toMatchObject({ 'Phone No.': '+1 425 555 0199', 'Credit Limit (LCY)': 75000 });
    expect(after.modifiedOn.getTime()).toBeGreaterThan(before.modifiedOn.getTime());
    expect(await sandboxAudits()).toBe(1);
  });

  it('edits an account found by its exact name', async () => {
    const row = await admin.editDv(user, 'account', 'Adatum Corporation', { telephone1: '555' });
    expect(row.fields['telephone1']).toBe('555');
    expect(row.fields['bcbi_companyid']).toBe(SANDBOX_COMPANY_ID);
  });

  it.each([
    [
      'an unknown field',
      () => admin.editBc(user, 'Customer', '10000', { colour: 'red' }),
      ErrorCode.InvalidInput,
      /Fields you can set: .*Phone No\./,
    ],
    [
      'an ambiguous short name',
      () => admin.editBc(user, 'Customer', '10000', { address: 'x', a: 'y' }),
      ErrorCode.InvalidInput,
      /could be/,
    ],
    [
      'the number itself',
      () => admin.editBc(user, 'Customer', '10000', { 'No.': '10001' }),
      ErrorCode.InvalidInput,
      /not a field/,
    ],
    [
      'a text for a number field',
      () => admin.editBc(user, 'Customer', '10000', { creditlimit: 'lots' }),
      ErrorCode.InvalidInput,
      /must be a number/,
    ],
    [
      'an operator object as value',
      () => admin.editDv(user, 'account', 'Adatum Corporation', { name: { $set: 1 } }),
      ErrorCode.InvalidInput,
      /text/,
    ],
    [
      'a name shared by two rows',
      () => admin.editDv(user, 'account', 'Alpine Ski House', { telephone1: '1' }),
      ErrorCode.InvalidInput,
      /Several account rows/,
    ],
    [
      'a customer that does not exist',
      () => admin.editBc(user, 'Customer', '99999', { phone: '1' }),
      ErrorCode.NotFound,
      /no Customer 99999/,
    ],
  ])('refuses %s and changes nothing', async (_what, act, code, message) => {
    const before = await w.db.collection('bc.customer').find().sort({ _id: 1 }).toArray();
    const err = await act().catch((e: unknown) => e);
    expect(err).toMatchObject({ code });
    expect((err as Error).message).toMatch(message);
    expect(await w.db.collection('bc.customer').find().sort({ _id: 1 }).toArray()).toEqual(before);
    expect(await sandboxAudits()).toBe(0);
  });

  it('adds an account of the demo company as a customer account by default', async () => {
    const row = await admin.addDv(user, 'account', {
      name: 'Northwind Traders',
      telephone1: '+1 206 555 0100',
    });
    expect(row.fields).toMatchObject({
      name: 'Northwind Traders',
      customertypecode: 3,
      statecode: 0,
      bcbi_companyid: SANDBOX_COMPANY_ID,
    });
    const vendor = await admin.addDv(user, 'account', { name: 'Tailspin Toys', customertypecode: '11' });
    expect(vendor.fields['customertypecode']).toBe(11);
    expect((await w.service.findMappingForRow(vendor)).name).toBe('VENDOR');
  });

  it('deletes a row but keeps its coupling, as a deletion in Dataverse would', async () => {
    const adatum = await w.dvRow('account', 'Adatum Corporation');
    await w.service.couple(user, { bcTable: 'Customer', number: '10000', dvId: adatum.id });
    await admin.deleteDv(user, 'account', adatum.id);
    expect(await w.dv.get('account', adatum.id)).toBeNull();
    expect(await w.couplingCount()).toBe(1);
    await expect(admin.deleteDv(user, 'account', 'Contoso Pharmaceuticals')).rejects.toMatchObject({
      code: ErrorCode.InvalidInput,
    });
  });

  it('resets to the demo data with nothing coupled', async () => {
    const adatum = await w.dvRow('account', 'Adatum Corporation');
    await w.service.couple(user, { bcTable: 'Customer', number: '10000', dvId: adatum.id });
    await admin.deleteDv(user, 'account', adatum.id);
    expect(await admin.reset(manager)).toEqual({ couplingsRemoved: 1 });
    expect(await w.dv.get('account', adatum.id)).not.toBeNull();
    expect(await w.couplingCount()).toBe(0);
  });

  it('refuses a reset to anyone but a manager, since it deletes every coupling', async () => {
    const adatum = await w.dvRow('account', 'Adatum Corporation');
    await w.service.couple(user, { bcTable: 'Customer', number: '10000', dvId: adatum.id });
    await expect(admin.reset(user)).rejects.toMatchObject({ code: ErrorCode.Forbidden });
    expect(await w.couplingCount()).toBe(1);
  });

  it('refuses every command when real connectors are configured', async () => {
    const real = Object.assign(Object.create(w.bc) as typeof w.bc, { kind: 'http' });
    const connected = new SandboxAdmin({
      companyId: SANDBOX_COMPANY_ID,
      reset: () => resetSandbox(w.db),
      bc: real,
      dv: w.dv,
      couplings: w.couplings,
      audit: w.audit,
      roles: w.roles,
    });
    await expect(connected.reset(manager)).rejects.toMatchObject({ code: ErrorCode.SandboxOnly });
    await expect(connected.editBc(user, 'Customer', '10000', { phone: '1' })).rejects.toMatchObject({
      code: ErrorCode.SandboxOnly,
    });
  });
});

import { describe, expect, it } from 'vitest';
import { explainRemote, permissionProblem } from '../../../connectors/http/permission-errors.js';

const principal = (privilege: string, tail: string) =>
  `Principal user (Id=3f2a9c1e-7b4d-4e8a-9c0f-1a2b3c4d5e6f, type=8, roleCount=1, privilegeCount=412, accessMode=4), is missing ${privilege} privilege (Id=6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b) ${tail}`;

describe('Dataverse privilege refusals in plain words', () => {
  it.each([
    [principal('prvWriteAccount', "on OTC=1 for entity 'account'."), 'Write', 'account'],
    [principal('prvReadContact', 'on OTC=2 entityName=contact'), 'Read', 'contact'],
    [principal('prvCreateProduct', "on OTC=1024 for entity 'product'."), 'Create', 'product'],
    [principal('prvDeleteAccount', 'on OTC=1'), 'Delete', 'account'],
    [principal('prvAppendAccount', "for entity 'account'"), 'Append', 'account'],
    [
      principal('prvAppendToTransactionCurrency', "for entity 'transactioncurrency'"),
      'Append To',
      'transactioncurrency',
    ],
    [principal('prvAssignAccount', 'entityName=account'), 'Assign', 'account'],
    [principal('prvShareContact', 'entityName=contact'), 'Share', 'contact'],
    [principal('prvReadSystemUser', 'on OTC=8'), 'Read', 'systemuser'],
  ])('%s → lacks %s on %s', (message, verb, entity) => {
    expect(permissionProblem('Dataverse', message)).toBe(
      `the application user lacks ${verb} on ${entity} in Dataverse: give it a security role with that privilege (${/prv\w+/.exec(message)?.[0]})`,
    );
  });

  it('keeps the original words after the explanation', () => {
    const message = principal('prvWriteAccount', "on OTC=1 for entity 'account'.");
    expect(explainRemote('Dataverse', message)).toBe(
      `the application user lacks Write on account in Dataverse: give it a security role with that privilege (prvWriteAccount). Details: ${message}`,
    );
  });
});

describe('Business Central permission refusals in plain words', () => {
  it.each([
    ['You do not have the following permissions on TableData Customer: Modify.', 'Modify', 'Customer'],
    ['You do not have the following permissions on TableData Vendor: Insert', 'Insert', 'Vendor'],
    [
      'Sorry, the current permissions prevented the action. (TableData 18 Customer Modify: Base Application)  CorrelationId:  0b9f.',
      'Modify',
      'Customer',
    ],
    [
      'Sorry, the current permissions prevented the action. (TableData 13 Salesperson/Purchaser Read: Base Application)',
      'Read',
      'Salesperson/Purchaser',
    ],
    [
      'Sorry, the current permissions prevented the action. (TableData Currency Delete)',
      'Delete',
      'Currency',
    ],
  ])('%s → lacks %s on %s', (message, permission, table) => {
    expect(permissionProblem('Business Central', message)).toBe(
      `the application lacks ${permission} permission on table ${table} in Business Central: give it a permission set with ${permission} on ${table} (page Microsoft Entra Applications)`,
    );
  });
});

describe('anything else is left in the service’s own words', () => {
  it.each([
    ['Dataverse', 'account With Id = 5 Does Not Exist'],
    ['Dataverse', 'You do not have the following permissions on TableData Customer: Modify.'],
    ['Business Central', principal('prvWriteAccount', 'on OTC=1')],
    ['Business Central', "The record already exists. Identification fields and values: No.='10000'"],
  ] as const)('%s: %s', (system, message) => {
    expect(permissionProblem(system, message)).toBeUndefined();
    expect(explainRemote(system, message)).toBe(message);
  });
});

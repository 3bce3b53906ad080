import type { RemoteSystem } from './http-client.js';

/**
 * Permission refusals in plain words: which permission on which table is missing, and what gives it.
 * The one place that reads the two services' refusal texts; every message built from a remote answer
 * (single requests, $batch items, check connection) passes through `explainRemote`, which keeps the
 * service's own words after the explanation.
 *
 * Dataverse (403, code 0x80040220): "Principal user (Id=…, type=8, …) is missing prvWriteAccount privilege
 * (Id=…) on OTC=1 for entity 'account'" — some versions say "entityName=account".
 * Business Central: "You do not have the following permissions on TableData Customer: Modify" (older),
 * "Sorry, the current permissions prevented the action. (TableData 18 Customer Modify: Base Application)".
 */

/** prv<Verb><Entity>: longer verbs first, so AppendTo is not read as Append + "ToAccount". */
const DV_VERBS: ReadonlyArray<[string, string]> = [
  ['AppendTo', 'Append To'],
  ['Append', 'Append'],
  ['Assign', 'Assign'],
  ['Create', 'Create'],
  ['Delete', 'Delete'],
  ['Read', 'Read'],
  ['Share', 'Share'],
  ['Write', 'Write'],
];
const DV_PRIVILEGE = /missing (prv[A-Za-z]+) privilege/;
const DV_ENTITY = /entityName\s*=\s*'?([A-Za-z0-9_]+)|for entity '([A-Za-z0-9_]+)'/;

const BC_OLD = /You do not have the following permissions on TableData ([^:]+?):\s*([A-Za-z]+)/;
const BC_NEW =
  /current permissions prevented the action\.?\s*\(TableData ([^:)]+?) (Read|Insert|Modify|Delete|IndirectRead|IndirectInsert|IndirectModify|IndirectDelete)\b/;

function dataverse(message: string): string | undefined {
  const privilege = DV_PRIVILEGE.exec(message)?.[1];
  if (!privilege) return undefined;
  const rest = privilege.slice(3);
  const [code, verb] = DV_VERBS.find(([v]) => rest.startsWith(v)) ?? ['', 'the privilege'];
  const named = DV_ENTITY.exec(message);
  const entity = (named?.[1] ?? named?.[2] ?? rest.slice(code.length)).toLowerCase() || 'that table';
  return (
    `the application user lacks ${verb} on ${entity} in Dataverse: give it a security role with that ` +
    `privilege (${privilege})`
  );
}

function businessCentral(message: string): string | undefined {
  const found = BC_OLD.exec(message) ?? BC_NEW.exec(message);
  if (!found) return undefined;
  // "18 Customer" (id and name) or "Customer": the name is what people find in permission sets.
  const table = (found[1] ?? '').trim().replace(/^\d+\s+/, '');
  const permission = found[2] ?? '';
  return (
    `the application lacks ${permission} permission on table ${table} in Business Central: give it a ` +
    `permission set with ${permission} on ${table} (page Microsoft Entra Applications)`
  );
}

/** The missing permission in plain words, or undefined when the message is not a permission refusal. */
export function permissionProblem(system: RemoteSystem, message: string): string | undefined {
  return system === 'Dataverse' ? dataverse(message) : businessCentral(message);
}

/**
 * What a person reads for a refusal: the permission in plain words first with the service's own text as
 * details, or the service's text alone when it is something else.
 */
export function explainRemote(system: RemoteSystem, message: string): string {
  const plain = permissionProblem(system, message);
  return plain ? `${plain}. Details: ${message}` : message;
}

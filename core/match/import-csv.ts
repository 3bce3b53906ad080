import type { AuditLog } from '../audit/audit-log.js';
import {
  availabilityOf,
  requireAvailable,
  unavailableText,
  type ServingPorts,
} from '../mappings/availability.js';
import { DomainError, ErrorCode } from '../errors.js';
import type { MappingService } from '../mappings/mapping-service.js';
import { valuesImpliedByFilter } from '../mappings/filter-defaults.js';
import type { Actor } from '../model/actor.js';
import type { IntegrationTableMapping } from '../model/mapping.js';
import type { Fields } from '../model/record.js';
import { newId } from '../ids.js';
import { journalImported, startImportJob, type ImportJobDeps } from './import-job.js';
import { cancelledMessage } from '../jobs/job-cancel.js';
import type { Job } from '../model/job.js';
import type { DataversePort } from '../ports/dataverse.js';
import type { Roles } from '../roles.js';
import { readCsv, type CsvLimits, type CsvRow } from './csv-read.js';
import {
  IMPORT_KINDS,
  importColumns,
  typeLabels,
  typeOf,
  type ImportColumns,
  type ImportKind,
} from './import-columns.js';

export type { ImportKind } from './import-columns.js';

export interface ImportDeps {
  dv: DataversePort;
  /** Asked what it serves: rows of a mapping the connection cannot serve are not imported. */
  bc: ServingPorts['bc'];
  mappings: Pick<MappingService, 'get'>;
  roles: Pick<Roles, 'requireManager'>;
  audit: Pick<AuditLog, 'record'>;
  limits?: CsvLimits;
  /** With both, the import is a job whose rows an undo deletes. */
  journal?: ImportJobDeps['journal'];
  jobs?: ImportJobDeps['jobs'];
}

export interface ImportOptions {
  /** The Dataverse type the rows get when the file has no type column (e.g. vendors). */
  type?: string;
  /** Told the Import job once it exists, before any row is written (its running card). */
  onStarted?: (job: Job) => void;
}

export interface ImportReport {
  kind: ImportKind;
  accepted: number;
  createdIds: string[];
  /** Per refused row: its line in the file (header = line 1) and why. */
  rejected: Array<{ line: number; reason: string }>;
  /** Mappings the inserted rows belong to: offer a match run for each (issue 5). */
  mappings: string[];
  /** The Import job (`undo job <id>` deletes the rows), when rows were inserted and can be undone. */
  jobId?: string;
}

const CREATE_CHUNK = 1_000;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const refuse = (message: string) =>
  new DomainError(ErrorCode.InvalidInput, `${message} Nothing was imported.`);

/** domain.md §6: the company id is the first GUID of the CUSTOMER mapping's Integration Table Filter. */
function companyIdOf(customer: IntegrationTableMapping): string {
  for (const c of customer.integrationTableFilter) {
    const id = c.anyOf.find((v): v is string => typeof v === 'string' && GUID.test(v));
    if (c.field === 'bcbi_companyid' && !c.not && id) return id;
  }
  throw refuse(
    'The CUSTOMER mapping has no company id (bcbi_companyid) in its Integration Table Filter; set it first.',
  );
}

/** Header cells → columns; the whole file is refused for a missing header, unknown or repeated columns. */
function resolveHeader(kind: ImportKind, header: string[], columns: ImportColumns): string[] {
  const resolved = header.map((h) => columns.aliases.get(h.toLowerCase()));
  const known = [...new Set(columns.aliases.values())].join(', ');
  if (resolved.every((c) => c === undefined)) {
    throw refuse(
      `The first line must be a header naming the columns (e.g. ${known}); found "${header.join(',').slice(0, 80)}".`,
    );
  }
  const unknown = header.filter((_, i) => resolved[i] === undefined);
  if (unknown.length > 0)
    throw refuse(
      `Unknown column(s) ${unknown.map((u) => `"${u.slice(0, 40)}"`).join(', ')}. Known columns: ${known}.`,
    );
  const repeated = resolved.find((c, i) => resolved.indexOf(c) !== i);
  if (repeated) throw refuse(`The column ${repeated} appears twice in the header.`);
  const missing = IMPORT_KINDS[kind].required.filter((r) => !resolved.includes(r));
  if (missing.length > 0)
    throw refuse(`The header has no ${missing.join(' and ')} column, which every row needs.`);
  return resolved as string[];
}

type Checked = { ok: true; fields: Fields; mapping: string; code: number } | { ok: false; reason: string };

function checkRow(
  kind: ImportKind,
  row: CsvRow,
  names: string[],
  columns: ImportColumns,
  defaultType: string,
): Checked {
  if (row.values.length !== names.length) {
    return { ok: false, reason: `has ${row.values.length} values; the header has ${names.length} columns.` };
  }
  const spec = IMPORT_KINDS[kind];
  const fields: Fields = {};
  const problems: string[] = [];
  let type = typeOf(kind, defaultType);
  names.forEach((column, i) => {
    const raw = row.values[i] ?? '';
    if (raw.trim() === '') return;
    if (column === spec.typeColumn) {
      type = typeOf(kind, raw);
      if (!type) problems.push(`type "${raw.slice(0, 30)}" must be ${typeLabels(kind)}`);
      return;
    }
    // The formula check sees the raw value: a leading tab or CR is part of the attack.
    const value = /^[\t\r]/.test(raw) ? raw : raw.trim();
    const parsed = columns.schemas.get(column)?.safeParse(value);
    if (parsed?.success) fields[column] = parsed.data;
    else problems.push(`${column} ${parsed?.error.issues[0]?.message ?? 'is invalid'}`);
  });
  for (const r of spec.required)
    if (fields[r] === undefined && !problems.some((p) => p.startsWith(r))) problems.push(`${r} is required`);
  if (problems.length > 0 || !type) return { ok: false, reason: `${problems.join('; ')}.` };
  return { ok: true, fields, mapping: type.mapping, code: type.code };
}

/**
 * Bulk insert (domain.md §6): validates every row, sets company id and type code, creates the valid rows
 * in Dataverse and reports accepted and rejected rows by line. A file that is not CSV, has no header or
 * is too large is refused whole and nothing is inserted. Manager only: it writes thousands of rows.
 */
export async function importRows(
  deps: ImportDeps,
  actor: Actor,
  kind: ImportKind,
  csvText: unknown,
  options: ImportOptions = {},
): Promise<ImportReport> {
  deps.roles.requireManager(actor, 'import rows into Dataverse');
  if (kind !== 'accounts' && kind !== 'products') throw refuse('Import accounts or products.');
  const spec = IMPORT_KINDS[kind];
  const defaultType = options.type ?? Object.keys(spec.types)[0] ?? '';
  if (!typeOf(kind, defaultType)) throw refuse(`The type must be ${typeLabels(kind)}.`);
  const defaultMapping = typeOf(kind, defaultType)?.mapping;
  if (defaultMapping) requireAvailable(deps, await deps.mappings.get(defaultMapping));
  const table = readCsv(csvText, deps.limits);
  const columns = importColumns(kind, await deps.mappings.get(spec.columnsFrom));
  const names = resolveHeader(kind, table.header, columns);
  const companyId = companyIdOf(await deps.mappings.get('CUSTOMER'));

  // Per mapping: the values its filter implies, or why the connection cannot serve it.
  const implied = new Map<string, Fields | string>();
  const rejected: ImportReport['rejected'] = [];
  const valid: Array<{ line: number; fields: Fields; mapping: string }> = [];
  for (const row of table.rows) {
    const checked = checkRow(kind, row, names, columns, defaultType);
    if (!checked.ok) {
      rejected.push({ line: row.line, reason: checked.reason });
      continue;
    }
    if (!implied.has(checked.mapping)) {
      const m = await deps.mappings.get(checked.mapping);
      const a = availabilityOf(deps, m);
      implied.set(
        checked.mapping,
        a.available ? valuesImpliedByFilter(m.integrationTableFilter) : unavailableText(m.name, a.reason),
      );
    }
    const known = implied.get(checked.mapping);
    if (typeof known === 'string') {
      rejected.push({ line: row.line, reason: known });
      continue;
    }
    const fields = {
      ...known,
      ...checked.fields,
      bcbi_companyid: companyId,
      [spec.typeColumn]: checked.code,
    };
    valid.push({ line: row.line, fields, mapping: checked.mapping });
  }

  const createdIds: string[] = [];
  const mappings = new Set<string>();
  const job = await startImportJob(
    deps,
    actor,
    { id: newId(), mapping: valid[0]?.mapping ?? spec.table, total: valid.length },
    options.onStarted,
  );
  const what = `Import of ${kind}`;
  try {
    for (let i = 0; i < valid.length; i += CREATE_CHUNK) {
      const chunk = valid.slice(i, i + CREATE_CHUNK);
      const written = await deps.dv.createMany(
        spec.table,
        chunk.map((v) => v.fields),
      );
      if (job.id)
        await journalImported(
          deps,
          job.id,
          written.flatMap((w) => (w.ok ? [w.value] : [])),
        );
      written.forEach((w, k) => {
        const v = chunk[k] as (typeof chunk)[number];
        if (w.ok) {
          createdIds.push(w.value.id);
          mappings.add(v.mapping);
        } else rejected.push({ line: v.line, reason: `Dataverse refused it: ${w.error}` });
      });
      const goOn = await job.chunk(written.filter((w) => w.ok).length, written.filter((w) => !w.ok).length);
      if (!goOn) {
        for (const v of valid.slice(i + CREATE_CHUNK))
          rejected.push({ line: v.line, reason: 'Not imported: the import was cancelled before this row.' });
        break;
      }
    }
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    await job.finish(
      'Failed',
      `${what} stopped after ${createdIds.length} rows inserted into Dataverse: ${why}`,
    );
    throw e;
  }
  rejected.sort((a, b) => a.line - b.line);
  const done = `${what}: ${createdIds.length} rows inserted into Dataverse, ${rejected.length} rejected.`;
  const cancel = job.cancelRequest();
  await job.finish(cancel ? 'Cancelled' : 'Finished', cancel ? cancelledMessage(cancel, done) : done);
  const report: ImportReport = {
    kind,
    accepted: createdIds.length,
    createdIds,
    rejected,
    mappings: [...mappings],
    ...(job.id && createdIds.length > 0 ? { jobId: job.id } : {}),
  };
  await deps.audit.record({
    actor,
    action: `import.${kind}`,
    subject: `dv:${spec.table}`,
    details: { accepted: report.accepted, rejected: rejected.length, mappings: report.mappings },
  });
  return report;
}

export interface ImportService {
  importRows(
    actor: Actor,
    kind: ImportKind,
    csvText: unknown,
    options?: { type?: string },
  ): Promise<ImportReport>;
}

export function createImportService(deps: ImportDeps): ImportService {
  return { importRows: (actor, kind, csvText, options) => importRows(deps, actor, kind, csvText, options) };
}

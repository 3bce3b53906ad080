import { randomUUID } from 'node:crypto';
import type { BcRecord, DvRow, Fields } from '../model/record.js';
import { valuesImpliedByFilter } from '../mappings/filter-defaults.js';
import type { WriteResult } from '../ports/business-central.js';
import { existingPartner, numberOf, type Rec } from './existing-partner.js';
import { computePatch, type Pass, type Patch } from './fields.js';
import type { RecordResult } from './outcome.js';
import { journalCoupled, journalCreated, journalCreates } from './journal-writes.js';
import { completePair, newCoupling } from './pair.js';
import { commitBatch, type RunContext } from './run-context.js';
import type { SyncErrorInput } from './sync-error-repository.js';

type Source =
  { pass: 'ToIntegrationTable'; records: BcRecord[] } | { pass: 'FromIntegrationTable'; records: DvRow[] };
interface ToCreate {
  source: Rec;
  patch: Patch;
}

/** The ids the new Dataverse rows will carry, reserved per BC record (CouplingRepository.reserveCreate). */
function reserveIds(ctx: RunContext, todo: readonly ToCreate[]): Promise<string[]> {
  const at = ctx.deps.clock.now();
  return Promise.all(
    todo.map((t) => ctx.deps.couplings.reserveCreate(ctx.mapping.name, t.source.id, randomUUID(), at)),
  );
}

/**
 * The batch's new records and the couplings about to be made for them, in the job's undo journal in
 * one write each (per record it would cost a round trip per record). Business Central chooses a new
 * record's id, so those are journalled as soon as the create answers.
 */
async function journalNewPairs(
  ctx: RunContext,
  toDv: boolean,
  todo: readonly ToCreate[],
  created: ReadonlyArray<WriteResult<Rec>>,
): Promise<void> {
  const pairs = todo.flatMap((t, i) => {
    const r = created[i];
    if (!r?.ok) return [];
    const [bc, dv] = toDv ? [t.source, r.value] : [r.value, t.source];
    return [{ made: r.value, bcId: bc.id, bcNumber: numberOf(bc), dvId: dv.id }];
  });
  if (toDv)
    await journalCreated(
      ctx,
      'dv',
      pairs.map((p) => p.made),
    );
  else
    await journalCreates(
      ctx,
      'bc',
      pairs.map((p) => ({ id: p.made.id, number: p.bcNumber, modifiedOn: p.made.modifiedOn })),
    );
  await journalCoupled(
    ctx,
    pairs.map((p) => ({ mapping: ctx.mapping.name, bcId: p.bcId, bcNumber: p.bcNumber, dvId: p.dvId })),
  );
}

/** Creates the planned records in one batch and couples each to its source. */
async function createAndCouple(
  ctx: RunContext,
  pass: Pass,
  todo: ToCreate[],
  results: RecordResult[],
  errors: SyncErrorInput[],
): Promise<void> {
  if (todo.length === 0) return;
  const { deps, mapping } = ctx;
  const toDv = pass === 'ToIntegrationTable';
  const implied = valuesImpliedByFilter(toDv ? mapping.integrationTableFilter : mapping.tableFilter);
  const rows: Fields[] = todo.map((t) => ({ ...implied, ...t.patch.fields }));
  // Toward Dataverse each new row's id is reserved first: a run that stopped after creating finds it.
  const ids = toDv ? await reserveIds(ctx, todo) : [];
  await journalCreates(
    ctx,
    'dv',
    ids.map((id, i) => ({ id, number: numberOf((todo[i] as ToCreate).source) })),
  );
  const created: Array<WriteResult<Rec>> = toDv
    ? await deps.dv.createMany(mapping.dvTable, rows, ids)
    : await deps.bc.createMany(mapping.bcTable, rows);
  await journalNewPairs(ctx, toDv, todo, created);
  for (const [i, t] of todo.entries()) {
    const r = created[i];
    const bcId = toDv ? t.source.id : r?.ok ? r.value.id : null;
    if (!r || !r.ok) {
      const message = `Could not create it in ${toDv ? 'Dataverse' : 'Business Central'}: ${r?.error ?? 'no answer'}`;
      results.push({
        bcId,
        bcNumber: toDv ? numberOf(t.source) : '',
        dvId: toDv ? null : t.source.id,
        outcome: 'Failed',
        changes: [],
        message,
      });
      if (toDv)
        errors.push({
          mapping: mapping.name,
          bcId: t.source.id,
          bcNumber: numberOf(t.source),
          dvId: null,
          kind: 'failure',
          message,
          jobId: ctx.jobId,
        });
      continue;
    }
    const [made, source] = [r.value, t.source];
    const { bc, dv, changes } = await completePair(
      ctx,
      (toDv ? source : made) as BcRecord,
      (toDv ? made : source) as DvRow,
      toDv ? 'dv' : 'bc',
    );
    const inserted = await deps.couplings.insert(newCoupling(ctx, bc, dv, true));
    if (toDv) await deps.couplings.releaseCreate(mapping.name, bc.id);
    if (inserted) {
      ctx.done.add(bc.id);
      results.push({
        bcId: bc.id,
        bcNumber: bc.number,
        dvId: dv.id,
        outcome: 'Inserted',
        coupled: true,
        changes: [...t.patch.changes, ...changes],
        ...(t.patch.notes.length > 0 ? { message: t.patch.notes.join(' ') } : {}),
      });
      continue;
    }
    // Another run coupled the source meanwhile: take our copy back rather than leave a duplicate.
    await (toDv ? deps.dv.delete(mapping.dvTable, dv.id) : deps.bc.delete(mapping.bcTable, bc.id));
    results.push({
      bcId: bc.id,
      bcNumber: bc.number,
      dvId: dv.id,
      outcome: 'Skipped',
      changes: [],
      message: 'Coupled by another run meanwhile; nothing was created.',
    });
  }
}

/**
 * Synch. Only Coupled Records off: uncoupled source records inside the filter are created on the other
 * side and coupled (Inserted + Coupled). Never twice: a target that already has the record's number is
 * coupled instead (Coupled), and one with the same name is reported rather than duplicated.
 */
export async function insertUncoupled(ctx: RunContext, src: Source): Promise<void> {
  const { mapping } = ctx;
  const results: RecordResult[] = [];
  const errors: SyncErrorInput[] = [];
  const todo: ToCreate[] = [];
  const sources = (src.records as Rec[]).map((r) => r.fields);
  // Examined once per run: a record that fails here is not retried later in the same run.
  if (src.pass === 'ToIntegrationTable') src.records.forEach((r) => ctx.done.add(r.id));
  await ctx.lookups.prepare(
    mapping.fields,
    src.pass === 'ToIntegrationTable' ? { bc: sources } : { dv: sources },
  );
  for (const source of src.records as Rec[]) {
    const patch = computePatch(mapping.fields, src.pass, source.fields, null, { lookups: ctx.lookups });
    const bcId = src.pass === 'ToIntegrationTable' ? source.id : null;
    const line = {
      bcId,
      bcNumber: src.pass === 'ToIntegrationTable' ? numberOf(source) : '',
      dvId: bcId ? null : source.id,
      changes: [],
    };
    if (patch.errors.length > 0) {
      const message = patch.errors.join(' ');
      const waitingFor = patch.waitingFor.length > 0 ? patch.waitingFor.join(', ') : null;
      results.push({ ...line, outcome: 'Failed', message, ...(waitingFor ? { waitingFor } : {}) });
      if (bcId)
        errors.push({
          mapping: mapping.name,
          bcId,
          bcNumber: line.bcNumber,
          dvId: null,
          kind: 'failure',
          message,
          jobId: ctx.jobId,
          waitingFor,
        });
      continue;
    }
    const existing = await existingPartner(ctx, src.pass, source, patch);
    if (!existing) todo.push({ source, patch });
    else await adoptOrReport(ctx, src.pass, source, existing, line, results, errors);
  }
  await createAndCouple(ctx, src.pass, todo, results, errors);
  const created = results.filter((r) => r.outcome === 'Inserted' || r.outcome === 'Coupled');
  await commitBatch(
    ctx,
    results,
    errors,
    created.flatMap((r) => (r.bcId ? [r.bcId] : [])),
  );
}

async function adoptOrReport(
  ctx: RunContext,
  pass: Pass,
  source: Rec,
  existing: { id: string; sameNumber: boolean },
  line: Omit<RecordResult, 'outcome'>,
  results: RecordResult[],
  errors: SyncErrorInput[],
): Promise<void> {
  const { deps, mapping } = ctx;
  const toDv = pass === 'ToIntegrationTable';
  if (existing.sameNumber) {
    const other = toDv
      ? await deps.dv.get(mapping.dvTable, existing.id)
      : await deps.bc.getById(mapping.bcTable, existing.id);
    const [bc, dv] = (toDv ? [source, other] : [other, source]) as [BcRecord, DvRow];
    // Coupled without a last synchronization: the next run compares both sides and shows any difference.
    const coupling = other ? newCoupling(ctx, bc, dv, false) : null;
    if (coupling) await journalCoupled(ctx, [coupling]);
    if (coupling && (await deps.couplings.insert(coupling))) {
      ctx.done.add(bc.id);
      results.push({
        bcId: bc.id,
        bcNumber: bc.number,
        dvId: dv.id,
        outcome: 'Coupled',
        changes: [],
        message: `Coupled to the existing ${toDv ? mapping.dvTable : mapping.bcTable} with the same number instead of creating a duplicate.`,
      });
      return;
    }
  }
  const where = toDv
    ? `${mapping.dvTable} ${existing.id} in Dataverse`
    : `${mapping.bcTable} ${existing.id} in Business Central`;
  const message = `Not created: ${where} already looks like this record and is not coupled. Couple them (\`couple\`) or run \`match\` for mapping ${mapping.name}.`;
  results.push({ ...line, outcome: 'Failed', message });
  if (line.bcId)
    errors.push({
      mapping: mapping.name,
      bcId: line.bcId,
      bcNumber: line.bcNumber,
      dvId: existing.id,
      kind: 'failure',
      message,
      jobId: ctx.jobId,
    });
}

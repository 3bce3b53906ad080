import { createHash } from 'node:crypto';
import { DomainError, ErrorCode } from '../../errors.js';
import { newId } from '../../ids.js';
import { requireAvailable } from '../../mappings/availability.js';
import type { Actor } from '../../model/actor.js';
import type { IntegrationTableMapping } from '../../model/mapping.js';
import { emptyCounters } from '../../model/job.js';
import type { SyncDeps } from '../deps.js';
import { runWholeMapping } from '../whole-mapping.js';
import { dryRun } from './dry-deps.js';
import { settingChanges, settingsOf, type PreviewKind } from './fingerprint.js';
import { nameExamples } from './names.js';
import type { PreviewRepository, StoredPreview } from './preview-repository.js';
import { recordsChangedSince } from './recent.js';
import { STAMP_MARGIN_MS } from './stamps.js';
import { emptySummary, EXAMPLES, PreviewSink } from './summary.js';

/** How long a preview can be run for real. */
export const PREVIEW_TTL_MS = 60 * 60 * 1000;

export interface PreviewDeps extends SyncDeps {
  previews: Pick<PreviewRepository, 'insert' | 'get' | 'claim' | 'release'>;
}

export interface PreviewService {
  /** `sync … all|modified preview`: the same run, computed over dry-run deps; nothing is written. */
  previewSync(actor: Actor, mappingName: string, full: boolean): Promise<StoredPreview>;
  /** `uncouple all … preview`: how many couplings Delete Couplings would remove, with examples. */
  previewUncoupleAll(actor: Actor, mappingName: string): Promise<StoredPreview>;
  /**
   * Run for real (manager): refuses an unknown, expired or already run preview, or one whose mapping,
   * couplings or records changed since (saying what); otherwise claims it, once, and returns it.
   */
  claim(actor: Actor, previewId: string): Promise<StoredPreview>;
  /** The claimed run did not start (the mapping was busy): the preview may be run again. */
  release(previewId: string): Promise<void>;
}

/** "sync customers all preview": the command that makes a fresh preview. */
export const previewCommand = (
  kind: PreviewKind,
  m: Pick<IntegrationTableMapping, 'name' | 'bcTable'>,
): string =>
  kind === 'uncouple-all'
    ? `uncouple all ${m.name.toLowerCase()} preview`
    : `sync ${m.bcTable.toLowerCase()} ${kind} preview`;

const WHAT: Record<PreviewKind, string> = {
  all: 'run a full synchronization of a table mapping',
  modified: 'run Synchronize Modified Records from a preview',
  'uncouple-all': 'delete all couplings of a table mapping',
};

/** A digest of every coupled BC id of the mapping, streamed: the same count of other couplings differs. */
async function couplingDigest(deps: SyncDeps, mapping: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const ids of deps.couplings.bcIds(mapping, { pageSize: 5000 })) hash.update(ids.join('\n'));
  return hash.digest('hex');
}

export function createPreviewService(deps: PreviewDeps): PreviewService {
  const mappingOf = async (name: string) => requireAvailable(deps, await deps.mappings.get(name));

  function base(actor: Actor, kind: PreviewKind, m: IntegrationTableMapping, cutoff: Date) {
    const now = deps.clock.now();
    return {
      id: newId(),
      kind,
      mapping: m.name,
      createdAt: now,
      expiresAt: new Date(now.getTime() + PREVIEW_TTL_MS),
      createdBy: actor.name || actor.id,
      createdById: actor.id,
      settings: settingsOf(m),
      cutoff,
      claimedBy: null,
    };
  }

  async function store(p: StoredPreview): Promise<StoredPreview> {
    await deps.previews.insert(p, deps.clock.now());
    return p;
  }

  async function changesSince(p: StoredPreview, m: IntegrationTableMapping): Promise<string[]> {
    const out = settingChanges(p.kind, p.settings, settingsOf(m));
    const couplings = await deps.couplings.count(m.name);
    if (couplings !== p.couplings)
      out.push(`the couplings of ${m.name} went from ${p.couplings} to ${couplings}`);
    else if (p.kind === 'uncouple-all' && (await couplingDigest(deps, m.name)) !== p.couplingDigest)
      out.push(`other records of ${m.name} were coupled and uncoupled`);
    if (p.kind === 'uncouple-all') return out;
    if (p.stamps.overflow) out.push('more records changed around the preview than it can check again');
    const { count, named } = await recordsChangedSince(deps, m, p);
    if (count > 0)
      out.push(
        `${count} record${count === 1 ? '' : 's'} changed since the preview: ${named.join(', ')}${count > named.length ? ', …' : ''}`,
      );
    return out;
  }

  return {
    async previewSync(actor, mappingName, full) {
      const m = await mappingOf(mappingName);
      // The same rule as the real commands: a full synchronization is a manager's; modified is anyone's.
      if (full) deps.roles.requireManager(actor, WHAT.all);
      const cutoff = new Date(deps.clock.now().getTime() - STAMP_MARGIN_MS);
      const couplings = await deps.couplings.count(m.name);
      const dry = dryRun(deps, cutoff);
      const sink = new PreviewSink(dry.writes);
      const { job } = await runWholeMapping(dry.deps, { sink }, actor, m, full);
      if (job.status !== 'Finished')
        throw new DomainError(
          ErrorCode.ConnectorFailed,
          `The preview of ${m.name} could not finish. ${job.message}`,
        );
      await nameExamples(deps, m, sink.summary);
      const { bc, dv, overflow } = dry.stamps;
      return store({
        ...base(actor, full ? 'all' : 'modified', m, cutoff),
        couplings,
        couplingDigest: '',
        stamps: { bc: [...bc], dv: [...dv], overflow },
        summary: sink.summary,
        counters: job.counters,
      });
    },

    async previewUncoupleAll(actor, mappingName) {
      deps.roles.requireManager(actor, WHAT['uncouple-all']);
      const m = await mappingOf(mappingName);
      const summary = emptySummary();
      summary.uncoupled.count = await deps.couplings.count(m.name);
      for await (const page of deps.couplings.list(m.name, { pageSize: EXAMPLES })) {
        summary.uncoupled.examples = page.slice(0, EXAMPLES).map((c) => ({
          bcId: c.bcId,
          bcNumber: c.bcNumber,
          dvId: c.dvId,
          name: '',
          changes: [],
          message: '',
        }));
        break;
      }
      await nameExamples(deps, m, summary);
      return store({
        ...base(actor, 'uncouple-all', m, deps.clock.now()),
        couplings: summary.uncoupled.count,
        couplingDigest: await couplingDigest(deps, m.name),
        stamps: { bc: [], dv: [], overflow: false },
        summary,
        counters: { ...emptyCounters(), uncoupled: summary.uncoupled.count },
      });
    },

    async claim(actor, previewId) {
      const p = await deps.previews.get(previewId);
      if (p) deps.roles.requireManager(actor, WHAT[p.kind]);
      else deps.roles.requireManager(actor, 'run a previewed synchronization');
      if (!p || p.expiresAt <= deps.clock.now())
        throw new DomainError(
          ErrorCode.Expired,
          `This preview is no longer available (previews are kept for an hour). Nothing was started; preview again${p ? `: ${previewCommand(p.kind, await mappingOf(p.mapping))}` : ''}.`,
        );
      if (p.claimedBy) throw alreadyRun(p);
      const m = await mappingOf(p.mapping);
      const changes = await changesSince(p, m);
      if (changes.length > 0)
        throw new DomainError(
          ErrorCode.StaleState,
          `Nothing was started: since the preview, ${changes.join('; ')}. Preview again: ${previewCommand(p.kind, m)}`,
        );
      const by = { byId: actor.id, byName: actor.name || actor.id, at: deps.clock.now() };
      if (!(await deps.previews.claim(p.id, by))) throw alreadyRun((await deps.previews.get(p.id)) ?? p);
      return { ...p, claimedBy: by };
    },

    release: (previewId) => deps.previews.release(previewId),
  };
}

function alreadyRun(p: StoredPreview): DomainError {
  const by = p.claimedBy;
  const when = by ? ` at ${by.at.toISOString().slice(11, 16)} UTC` : '';
  return new DomainError(
    ErrorCode.AlreadyDecided,
    `This preview was already run by ${by?.byName ?? 'someone'}${when}. Nothing new was started; type status ${p.mapping.toLowerCase()} to see its job.`,
  );
}

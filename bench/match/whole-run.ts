import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { createAuditLog } from '../../core/audit/audit-log.js';
import { CouplingRepository, ensureCouplingIndexes } from '../../core/coupling/coupling-repository.js';
import { createJobRepository } from '../../core/jobs/job-repository.js';
import { createMappingService } from '../../core/mappings/mapping-service.js';
import { createMatchRunRepository } from '../../core/match/match-run-repository.js';
import { createMatchService } from '../../core/match/match-service.js';
import { systemClock } from '../../core/ports/clock.js';
import { createRoles } from '../../core/roles.js';
import { ensureIndexes } from '../../core/store/indexes.js';
import { startEmbeddedMongo } from '../../embedded-mongo/index.js';
import { COMPANY, pageMakingCpuMs, streamingPorts } from './fixture.js';

/** What the whole run reports to the bench (see run() in bench/match.ts). */
export interface WholeRun {
  ms: number;
  /** CPU time of the run, without making the ports' pages (a connector's network read). */
  cpuMs: number;
  pageMakingCpuMs: number;
  pageMs: number;
  pageDocs: number;
  /** This process's RSS once loaded, before the run, and its peak (the OS's maxRSS), in MB. */
  rssBeforeMb: number;
  maxRssMb: number;
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/**
 * proposeRun over n customers and n accounts streamed through the ports, the couplings read from and
 * the proposal written to embedded-mongo in this same process, as the bot runs it in development.
 */
export async function wholeRun(n: number, seed: number, criteria: unknown): Promise<WholeRun> {
  const rssBeforeMb = mb(process.memoryUsage().rss);
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-match-'));
  const server = await startEmbeddedMongo({ dbPath: dir, port: 0 });
  const client = await new MongoClient(server.uri).connect();
  try {
    const db = client.db('bench');
    await ensureIndexes(db);
    await ensureCouplingIndexes(db);
    const clock = systemClock;
    const roles = createRoles(['bench']);
    const audit = createAuditLog({ db, clock });
    const mappings = createMappingService({ db, roles, audit, clock, companyId: COMPANY });
    await mappings.seedDefaults();
    const deps = {
      runs: createMatchRunRepository(db),
      mappings,
      ...streamingPorts(n, seed),
      couplings: new CouplingRepository(db),
      jobs: createJobRepository({ db, clock }),
      roles,
      audit,
      clock,
      ttlHours: 72,
    };
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const making0 = pageMakingCpuMs();
    const run = await createMatchService(deps).proposeRun(
      { id: 'bench', name: 'Bench' },
      'CUSTOMER',
      criteria,
    );
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    const making = pageMakingCpuMs() - making0;
    const t1 = performance.now();
    await createMatchService(deps).getRowsPage(run.id, 1_000, { kind: 'proposed' });
    const pageMs = performance.now() - t1;
    const pageDocs = await db.collection('matchRunRows').countDocuments({ runId: run.id });
    const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    return {
      ms,
      cpuMs: (c.user + c.system) / 1000 - making,
      pageMakingCpuMs: making,
      pageMs,
      pageDocs,
      rssBeforeMb,
      maxRssMb,
    };
  } finally {
    await client.close();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

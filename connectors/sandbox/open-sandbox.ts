import type { Db } from '../../core/ports/store.js';
import type { Clock } from '../../core/ports/clock.js';
import { SandboxBusinessCentral } from './sandbox-business-central.js';
import { SandboxDataverse } from './sandbox-dataverse.js';
import { seedSandbox } from './seed.js';

/**
 * The sandbox connectors for the composition root: indexes ensured, CRONUS demo data seeded on the
 * first start only.
 */
export async function openSandbox(
  db: Db,
  options: { clock?: Clock } = {},
): Promise<{ bc: SandboxBusinessCentral; dv: SandboxDataverse; seeded: boolean }> {
  const { seeded } = await seedSandbox(db, options);
  return { bc: new SandboxBusinessCentral(db, options), dv: new SandboxDataverse(db, options), seeded };
}

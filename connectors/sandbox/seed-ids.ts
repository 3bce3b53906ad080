import { createHash } from 'node:crypto';

/** The demo company of the sandbox: its id is in the mappings' Integration Table Filters. */
export const SANDBOX_COMPANY_ID = '8f4c2a61-3b7e-4d09-9c15-2e6a7b1d5f30';
/** Another BC company sharing the same Dataverse environment (its rows must stay out). */
export const OTHER_COMPANY_ID = 'c3d9e2f1-6a4b-4e87-8b21-90f5d7c3a1e4';

/**
 * Stable GUIDs for seeded rows, derived from a readable key ("bc:Customer:10000"), so that a reseed
 * gives every demo record the same id and docs and tests can name them.
 */
export function seedId(key: string): string {
  const h = createHash('sha256').update(`coupling-assistant-sandbox:${key}`).digest('hex');
  const variant = ((parseInt(h.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

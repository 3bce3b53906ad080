import { DomainError, ErrorCode } from '../../core/errors.js';
import type { SandboxAdmin } from '../../core/sandbox-admin/sandbox-admin.js';
import type { BotServices } from '../services.js';

/** Sandbox commands act as "someone edited the other system"; never against real systems. */
export function sandboxOf(services: BotServices): SandboxAdmin {
  if (services.connectorsKind !== 'sandbox' || !services.sandbox) {
    throw new DomainError(
      ErrorCode.SandboxOnly,
      'Sandbox commands only work with the sandbox connectors; this bot is connected to real Business Central and Dataverse. Nothing was changed.',
    );
  }
  return services.sandbox;
}

/** `phone: +1 425…` lines for an outcome card. */
export const fieldLines = (fields: Record<string, unknown>): string[] =>
  Object.entries(fields).map(([k, v]) => `${k}: ${v === null || v === '' ? '(empty)' : String(v)}`);

import type { Middleware } from 'botbuilder';
import { respondWithText } from '../reply.js';
import { tenantOf } from '../turn.js';
import type { Logger } from '../../core/logger.js';

export const TENANT_REFUSAL =
  'Sorry — this Coupling Assistant serves another organization, so I can’t help here. Nothing was changed.';

/** ALLOWED_TENANT_IDS: activities from other tenants get a polite refusal and no work is done. */
export function tenantAllowList(allowed: readonly string[], logger: Logger): Middleware {
  const tenants = new Set(allowed.map((t) => t.trim().toLowerCase()));
  return {
    async onTurn(context, next) {
      if (tenants.size === 0) return next();
      const tenant = tenantOf(context)?.toLowerCase();
      if (tenant && tenants.has(tenant)) return next();
      logger.warn(
        { tenantId: tenant ?? null, activityType: context.activity.type },
        'activity from a tenant not allowed',
      );
      await respondWithText(context, TENANT_REFUSAL);
    },
  };
}

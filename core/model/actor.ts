import { z } from 'zod';

/** Who asks for something. `isManager` is decided in core from configuration, never by the caller. */
export const Actor = z.object({
  /** Entra object id (activity.from.aadObjectId); services use fixed ids (the scheduler). */
  id: z.string().min(1),
  name: z.string(),
  /** Conversation the request came from (for the audit trail). */
  conversationId: z.string().optional(),
  tenantId: z.string().optional(),
});
export type Actor = z.infer<typeof Actor>;

import { randomUUID } from 'node:crypto';
import type { Attachment, TurnContext } from 'botbuilder';
import type { Logger } from '../core/logger.js';
import type { Actor } from '../core/model/actor.js';

/** Turn-state keys set by the middleware; symbols, so nothing else can collide with them. */
export const CORRELATION_ID = Symbol('correlationId');
export const TURN_LOGGER = Symbol('turnLogger');
/** The actor the identity middleware established (Entra object id, roster name). */
export const ACTOR = Symbol('actor');

/** Stands for "nobody": matches no manager and owns nothing. Only reached without the identity middleware. */
export const NOBODY = 'anonymous';

/** What a handler knows about who asks and where; built once per turn from the activity. */
export interface TurnRequest {
  readonly actor: Actor;
  readonly correlationId: string;
  readonly logger: Logger;
  /** The message holding the clicked card (card actions), so later work can update that card in place. */
  readonly replyToId?: string;
  /** Files sent with the message (`import accounts` + a CSV file); read only through bot/attachments. */
  readonly attachments?: readonly Attachment[];
}

/** Teams puts the tenant in conversation.tenantId, older clients only in channelData.tenant.id. */
export function tenantOf(context: TurnContext): string | undefined {
  const activity = context.activity;
  const channelTenant = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  const tenant =
    activity.conversation?.tenantId ?? (typeof channelTenant === 'string' ? channelTenant : undefined);
  return tenant && tenant.length > 0 ? tenant : undefined;
}

/**
 * Who acts: what the identity middleware established from `from.aadObjectId` and the Teams roster.
 * `from.id` and `from.name` are never an identity; without the middleware the actor is nobody.
 */
export function actorOf(context: TurnContext): Actor {
  const established = context.turnState.get(ACTOR) as Actor | undefined;
  if (established) return established;
  return {
    id: NOBODY,
    name: 'Someone',
    conversationId: context.activity.conversation?.id,
    tenantId: tenantOf(context),
  };
}

export function correlationIdOf(context: TurnContext): string {
  const id = context.turnState.get(CORRELATION_ID) as string | undefined;
  return id ?? context.activity.id ?? randomUUID();
}

export function turnRequest(context: TurnContext, fallbackLogger: Logger): TurnRequest {
  return {
    actor: actorOf(context),
    correlationId: correlationIdOf(context),
    logger: (context.turnState.get(TURN_LOGGER) as Logger | undefined) ?? fallbackLogger,
    replyToId: context.activity.replyToId || undefined,
    attachments: context.activity.attachments ?? [],
  };
}

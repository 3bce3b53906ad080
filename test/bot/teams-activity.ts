import { randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';

/** Who a Teams activity comes from; aadObjectId is what roles are matched against. */
export interface TeamsUser {
  id: string;
  name: string;
  aadObjectId: string;
}

export interface TeamsActivityOptions {
  serviceUrl: string;
  user?: TeamsUser;
  conversationId?: string;
  conversationType?: 'personal' | 'groupChat' | 'channel';
  tenantId?: string;
  /** For Action.Submit fallbacks and Execute invokes: the message holding the clicked card. */
  replyToId?: string;
}

export const BOT = { id: '28:coupling-assistant', name: 'Coupling Assistant' };
export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const ADA: TeamsUser = {
  id: '29:1ada',
  name: 'Ada Manager',
  aadObjectId: '0d7c6a1e-5e0b-4c1f-9a57-6c1d2e3f4a5b',
};
export const BEN: TeamsUser = {
  id: '29:1ben',
  name: 'Ben User',
  aadObjectId: '9b1e2f3a-4c5d-4e6f-8a7b-1c2d3e4f5a6b',
};

/** A second manager (match tests). */
export const CAROL: TeamsUser = {
  id: '29:1carol',
  name: 'Carol Manager',
  aadObjectId: '4f3e2d1c-0b9a-4876-9543-21fedcba9876',
};

/** Everyone in the test tenant's Teams roster (the loopback Bot Connector and the TestAdapter roster). */
export const TEST_USERS: readonly TeamsUser[] = [ADA, BEN, CAROL];

function base(o: TeamsActivityOptions): Partial<Activity> {
  const user = o.user ?? BEN;
  const tenantId = o.tenantId ?? TENANT;
  return {
    id: `1:${randomUUID()}`,
    channelId: 'msteams',
    serviceUrl: o.serviceUrl,
    timestamp: new Date(),
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    recipient: { ...BOT },
    conversation: {
      id: o.conversationId ?? `a:personal-${user.aadObjectId}`,
      conversationType: o.conversationType ?? 'personal',
      tenantId,
      isGroup: o.conversationType !== undefined && o.conversationType !== 'personal',
      name: '',
    },
    channelData: { tenant: { id: tenantId } },
    locale: 'en-US',
    replyToId: o.replyToId,
  };
}

/** A message as Teams sends it; in a channel the bot is @mentioned, with the mention entity. */
export function teamsMessage(text: string, o: TeamsActivityOptions): Partial<Activity> {
  const mentioned = o.conversationType === 'channel' || o.conversationType === 'groupChat';
  const mentionText = `<at>${BOT.name}</at>`;
  return {
    ...base(o),
    type: 'message',
    text: mentioned ? `${mentionText} ${text}` : text,
    textFormat: 'plain',
    entities: mentioned ? [{ type: 'mention', text: mentionText, mentioned: { ...BOT } }] : [],
  };
}

/** An Action.Execute click: invoke `adaptiveCard/action` with the button's verb and data. */
export function teamsExecute(
  verb: string,
  data: Record<string, unknown>,
  o: TeamsActivityOptions,
): Partial<Activity> {
  return {
    ...base(o),
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

/** The Action.Submit fallback: a message whose value is the button's data (verb inside). */
export function teamsSubmit(data: Record<string, unknown>, o: TeamsActivityOptions): Partial<Activity> {
  return { ...base(o), type: 'message', text: undefined, value: data };
}

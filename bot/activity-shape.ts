import { z } from 'zod';

/**
 * What an incoming activity must look like before the adapter and the bot see it. The SDK trusts the
 * body's types: a `text` that is an object, a tenant id or an aadObjectId that is not a string, a
 * mention without `mentioned`, or no `recipient` fail deep inside a turn (where even the apology cannot
 * be sent, because the reply echoes the same fields). Refusing them here is a plain 400, and no turn.
 * Fields Teams may leave out or send as null stay optional; anything not listed passes through.
 */
const id = z.string().min(1).max(1024);
const optionalText = (max: number) => z.string().max(max).nullish();

const Account = z.looseObject({ id, name: optionalText(1024), aadObjectId: optionalText(1024) });

const MentionEntity = z.looseObject({
  type: z.literal('mention'),
  mentioned: z.looseObject({ id: z.string().max(1024) }),
  text: optionalText(1024),
});
const OtherEntity = z.looseObject({
  type: z
    .string()
    .max(200)
    .refine((t) => t !== 'mention'),
});

export const ActivityShape = z.looseObject({
  type: z.string().min(1).max(100),
  id: optionalText(1024),
  serviceUrl: z.string().min(1).max(2048),
  channelId: optionalText(100),
  conversation: z.looseObject({
    id,
    tenantId: optionalText(200),
    conversationType: optionalText(100),
    name: optionalText(1024),
  }),
  from: Account,
  recipient: Account,
  text: optionalText(100_000),
  replyToId: optionalText(1024),
  entities: z
    .array(z.union([MentionEntity, OtherEntity]))
    .max(100)
    .nullish(),
  attachments: z
    .array(z.looseObject({ contentType: optionalText(200) }))
    .max(20)
    .nullish(),
  channelData: z.looseObject({ tenant: z.looseObject({ id: optionalText(200) }).nullish() }).nullish(),
});

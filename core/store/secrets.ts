import { randomBytes } from 'node:crypto';
import type { Db } from 'mongodb';
import { isDuplicateKeyError } from './documents.js';

/** Where generated secrets live (not configuration: nobody has to set or rotate them by hand). */
export const SECRETS_COLLECTION = 'secrets';

interface SecretDoc {
  _id: string;
  value: string;
  createdAt: Date;
}

/**
 * A random secret shared by every instance and kept across restarts (e.g. the key that signs card
 * data, so a card sent before a restart or by another instance can still be clicked). The first
 * instance to ask creates it; concurrent first starts agree on one value through the unique _id.
 */
export async function loadOrCreateSecret(db: Db, name: string): Promise<string> {
  const col = db.collection<SecretDoc>(SECRETS_COLLECTION);
  const fresh = { value: randomBytes(32).toString('base64url'), createdAt: new Date() };
  try {
    const doc = await col.findOneAndUpdate(
      { _id: name },
      { $setOnInsert: fresh },
      { upsert: true, returnDocument: 'after' },
    );
    if (doc) return doc.value;
  } catch (e) {
    // Two first starts at once: the loser's upsert hits the unique _id; the winner's value is there.
    if (!isDuplicateKeyError(e)) throw e;
  }
  const existing = await col.findOne({ _id: name });
  if (!existing) throw new Error(`secret "${name}" could not be created`);
  return existing.value;
}

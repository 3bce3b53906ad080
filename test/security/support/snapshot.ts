import type { Db } from 'mongodb';

export type Snapshot = Record<string, unknown[]>;

/**
 * Every document of every collection (sorted by _id), to prove a refused request changed nothing.
 * `except` names collections a request may legitimately touch (e.g. the conversation reference saved on
 * a first contact).
 */
export async function snapshotAll(db: Db, except: readonly string[] = []): Promise<Snapshot> {
  const names = (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .filter((n) => !except.includes(n))
    .sort();
  const entries = await Promise.all(
    names.map(async (n) => [n, await db.collection(n).find().sort({ _id: 1 }).toArray()] as const),
  );
  return Object.fromEntries(entries);
}

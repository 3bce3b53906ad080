import type { Engine } from './engine.js';
import { pathValues } from './keys.js';

/**
 * mongod's TTL monitor: documents whose single-field TTL index value (a date, or the earliest date of
 * an array) is older than expireAfterSeconds are deleted. Deletions are journaled like any other.
 */
export function expireDocuments(engine: Engine, now = Date.now()): number {
  let removed = 0;
  for (const colls of engine.dbs.values()) {
    for (const coll of colls.values()) {
      for (const index of coll.indexes.values()) {
        const seconds = index.spec.expireAfterSeconds;
        const field = index.fields[0];
        if (typeof seconds !== 'number' || index.fields.length !== 1 || !field) continue;
        const cutoff = now - seconds * 1000;
        const expired: unknown[] = [];
        for (const doc of coll.docs.values()) {
          if (!index.covers(doc)) continue;
          const times = pathValues(doc, field).flatMap((v) => (v instanceof Date ? [v.getTime()] : []));
          if (times.length > 0 && Math.min(...times) <= cutoff) expired.push(doc._id);
        }
        for (const id of expired) if (engine.remove(coll, id)) removed++;
      }
    }
  }
  return removed;
}

/** Runs expireDocuments every `intervalMs` (mongod: 60 s); returns a function that stops it. */
export function startTtlMonitor(
  engine: Engine,
  intervalMs: number,
  onError: (err: unknown) => void,
): () => void {
  const timer = setInterval(() => {
    try {
      if (expireDocuments(engine) > 0) engine.sink.sync().catch(onError);
    } catch (err) {
      onError(err);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

import { randomUUID } from 'node:crypto';

/** One entity set of a fake server: rows keyed by GUID, a row version behind each ETag, a modified time. */
export type Row = Record<string, unknown>;

let lastStamp = 0;
/** Strictly increasing timestamps, so "modified after" never misses a write made in the same millisecond. */
function stamp(): string {
  lastStamp = Math.max(Date.now(), lastStamp + 1);
  return new Date(lastStamp).toISOString();
}

export class FakeTable {
  private readonly rows = new Map<string, Row>();
  private readonly versions = new Map<string, number>();
  private static version = 1000;

  constructor(
    readonly idField: string,
    readonly modifiedField: string,
  ) {}

  insert(values: Row): Row {
    const id = String(values[this.idField] ?? randomUUID()).toLowerCase();
    const row = { ...values, [this.idField]: id, [this.modifiedField]: stamp() };
    this.rows.set(id, row);
    this.versions.set(id, (FakeTable.version += 1));
    return row;
  }

  get(id: string): Row | undefined {
    return this.rows.get(id.toLowerCase());
  }

  etag(id: string): string {
    return `W/"${this.versions.get(id.toLowerCase()) ?? 0}"`;
  }

  /** Applies changes as another user would: new version, new modified time. */
  update(id: string, changes: Row): Row {
    const current = this.get(id);
    if (!current) throw new Error(`no row ${id}`);
    const row = {
      ...current,
      ...changes,
      [this.idField]: current[this.idField],
      [this.modifiedField]: stamp(),
    };
    this.rows.set(id.toLowerCase(), row);
    this.versions.set(id.toLowerCase(), (FakeTable.version += 1));
    return row;
  }

  delete(id: string): boolean {
    this.versions.delete(id.toLowerCase());
    return this.rows.delete(id.toLowerCase());
  }

  all(): Row[] {
    return [...this.rows.values()];
  }

  get size(): number {
    return this.rows.size;
  }

  /** For change sets: everything or nothing. */
  snapshot(): () => void {
    const rows = new Map(this.rows);
    const versions = new Map(this.versions);
    return () => {
      this.rows.clear();
      this.versions.clear();
      rows.forEach((v, k) => this.rows.set(k, v));
      versions.forEach((v, k) => this.versions.set(k, v));
    };
  }
}

/**
 * Server-driven paging as both services do it: at most `Prefer: odata.maxpagesize` rows (capped by the
 * server maximum), then an absolute @odata.nextLink carrying the original query plus a $skiptoken.
 */
export function pageOf(
  rows: Row[],
  query: URLSearchParams,
  prefer: string | undefined,
  serverMax: number,
  selfUrl: string,
) {
  const asked = Number(/odata\.maxpagesize=(\d+)/.exec(prefer ?? '')?.[1] ?? serverMax);
  const size = Math.min(asked, serverMax);
  const top = query.has('$top') ? Number(query.get('$top')) : Infinity;
  const skip = Number(query.get('$skiptoken') ?? 0);
  const end = Math.min(skip + size, top, rows.length);
  const value = rows.slice(skip, end);
  if (end >= Math.min(top, rows.length)) return { value, nextLink: undefined, pageSize: size };
  const next = new URLSearchParams(query);
  next.set('$skiptoken', String(end));
  const encoded = [...next].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  return { value, nextLink: `${selfUrl}?${encoded}`, pageSize: size };
}

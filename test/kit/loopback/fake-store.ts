import { randomUUID } from 'node:crypto';

/** One entity set of a fake server: rows keyed by GUID, a row version behind each ETag, a modified time. */
export type Row = Record<string, unknown>;

let lastStamp = 0;
/** Strictly increasing timestamps, so "modified after" never misses a write made in the same millisecond. */
function stamp(): string {
  lastStamp = Math.max(Date.now(), lastStamp + 1);
  return new Date(lastStamp).toISOString();
}

/**
 * Rows keyed by id, plus the two indexes the real services have for what the connectors filter on:
 * by id (the map itself) and by modified time. `filter` answers a `$filter` through them when it can, so
 * a loopback server's own CPU does not grow with the table for look-ups by id and change polling.
 */
export class FakeTable {
  private readonly rows = new Map<string, Row>();
  private readonly versions = new Map<string, number>();
  private static version = 1000;
  /** Position of each row in table order: index look-ups return rows in the order a scan would. */
  private readonly order = new Map<string, number>();
  private nextPosition = 0;
  /** Every modified time handed out, oldest first; an entry is current while its row still has that time. */
  private modified: Array<{ at: number; id: string }> = [];

  constructor(
    readonly idField: string,
    readonly modifiedField: string,
  ) {}

  insert(values: Row): Row {
    const id = String(values[this.idField] ?? randomUUID()).toLowerCase();
    const row = { ...values, [this.idField]: id, [this.modifiedField]: stamp() };
    this.rows.set(id, row);
    this.versions.set(id, (FakeTable.version += 1));
    if (!this.order.has(id)) this.order.set(id, (this.nextPosition += 1));
    this.noteModified(id, row);
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
    this.noteModified(id.toLowerCase(), row);
    return row;
  }

  delete(id: string): boolean {
    this.versions.delete(id.toLowerCase());
    this.order.delete(id.toLowerCase());
    return this.rows.delete(id.toLowerCase());
  }

  /**
   * Rows passing `test` (the parsed `$filter` text), in table order. An `or` of id equalities is
   * answered by look-ups, a top-level `<modified> gt|ge <time>` condition by the modified-time index;
   * anything else scans. Every candidate is still checked by `test`.
   */
  filter(text: string | null | undefined, test: (row: Row) => boolean): Row[] {
    if (!text) return this.all();
    const ids = idDisjunction(text, this.idField);
    if (ids) return this.inOrder(ids).filter(test);
    const since = modifiedBound(text, this.modifiedField);
    if (since) return this.inOrder(this.modifiedAfter(since.at, since.inclusive)).filter(test);
    return this.all().filter(test);
  }

  private inOrder(ids: Iterable<string>): Row[] {
    const found = new Map<string, Row>();
    for (const id of ids) {
      const row = this.rows.get(id.toLowerCase());
      if (row) found.set(id.toLowerCase(), row);
    }
    return [...found.entries()]
      .sort((a, b) => (this.order.get(a[0]) ?? 0) - (this.order.get(b[0]) ?? 0))
      .map(([, row]) => row);
  }

  private modifiedAfter(at: number, inclusive: boolean): string[] {
    let lo = 0;
    let hi = this.modified.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const t = (this.modified[mid] as { at: number }).at;
      if (t > at || (inclusive && t === at)) hi = mid;
      else lo = mid + 1;
    }
    const ids: string[] = [];
    for (let i = lo; i < this.modified.length; i++) {
      const entry = this.modified[i] as { at: number; id: string };
      if (this.current(entry)) ids.push(entry.id);
    }
    return ids;
  }

  private current(entry: { at: number; id: string }): boolean {
    const row = this.rows.get(entry.id);
    return row !== undefined && Date.parse(String(row[this.modifiedField])) === entry.at;
  }

  private noteModified(id: string, row: Row): void {
    this.modified.push({ at: Date.parse(String(row[this.modifiedField])), id });
    // Superseded entries are dropped once they outnumber the rows.
    if (this.modified.length > 2 * this.rows.size + 1000) this.reindex();
  }

  private reindex(): void {
    this.modified = [...this.rows.entries()]
      .map(([id, row]) => ({ at: Date.parse(String(row[this.modifiedField])), id }))
      .sort((a, b) => a.at - b.at);
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
      for (const id of rows.keys()) if (!this.order.has(id)) this.order.set(id, (this.nextPosition += 1));
      for (const id of [...this.order.keys()]) if (!rows.has(id)) this.order.delete(id);
      this.reindex();
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

/** The ids of a filter that is only `<id> eq <guid> or …` (parenthesised or not), else undefined. */
export function idDisjunction(text: string, idField: string): string[] | undefined {
  const ids: string[] = [];
  for (const part of topLevel(unwrap(text), 'or')) {
    const m = /^([A-Za-z_]+) eq ([0-9a-fA-F-]{36})$/.exec(unwrap(part));
    if (!m || m[1] !== idField) return undefined;
    ids.push((m[2] as string).toLowerCase());
  }
  return ids.length > 0 ? ids : undefined;
}

/** A top-level `<modified> gt|ge <time>` condition of a filter of and-ed conditions, else undefined. */
export function modifiedBound(
  text: string,
  modifiedField: string,
): { at: number; inclusive: boolean } | undefined {
  const whole = unwrap(text);
  if (topLevel(whole, 'or').length > 1) return undefined;
  for (const part of topLevel(whole, 'and')) {
    const m = /^([A-Za-z_]+) (gt|ge) (\S+)$/.exec(unwrap(part));
    if (!m || m[1] !== modifiedField) continue;
    const at = Date.parse(m[3] as string);
    if (!Number.isNaN(at)) return { at, inclusive: m[2] === 'ge' };
  }
  return undefined;
}

/** Splits at ` word ` outside parentheses and quotes. */
function topLevel(text: string, word: 'and' | 'or'): string[] {
  const parts: string[] = [];
  const sep = ` ${word} `;
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && text.startsWith(sep, i)) {
      parts.push(text.slice(start, i).trim());
      start = i + sep.length;
      i += sep.length - 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts;
}

/** The text without parentheses that enclose all of it. */
function unwrap(text: string): string {
  let t = text.trim();
  while (t.startsWith('(') && t.endsWith(')') && closes(t) === t.length - 1) t = t.slice(1, -1).trim();
  return t;
}

/** Where the parenthesis opening `text` closes. */
function closes(text: string): number {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')' && --depth === 0) return i;
  }
  return -1;
}

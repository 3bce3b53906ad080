/** Reading live progress and charts off cards, for the chat-level suites (sandbox and HTTP). */

export interface ShownProgress {
  done: number;
  total: number | null;
  percent: number | null;
  inserted: number;
  modified: number;
  failed: number;
}

const num = (s: string | undefined): number => Number((s ?? '').replace(/,/g, ''));

/** The progress line of a running card's text: "1,240 of 10,000 records (12%) · inserted …" or "… so far". */
export function progressOf(text: string): ShownProgress {
  const m =
    /(?<done>[\d,]+) (?:of (?<total>[\d,]+) records \((?<percent>\d+)%\)|records? so far) · inserted (?<inserted>[\d,]+) · modified (?<modified>[\d,]+) · failed (?<failed>[\d,]+)/.exec(
      text,
    );
  if (!m?.groups) throw new Error(`no progress line on the card:\n${text}`);
  const g = m.groups;
  return {
    done: num(g['done']),
    total: g['total'] === undefined ? null : num(g['total']),
    percent: g['percent'] === undefined ? null : num(g['percent']),
    inserted: num(g['inserted']),
    modified: num(g['modified']),
    failed: num(g['failed']),
  };
}

/** The chart elements of one type on a card (Teams draws them; other clients take their fallback). */
export function chartsOf(card: unknown, type: string): Array<Record<string, unknown>> {
  const found: Array<Record<string, unknown>> = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const n = node as Record<string, unknown>;
    if (n['type'] === type) {
      const { title, data } = n;
      found.push({ title, data });
    } else Object.values(n).forEach(walk);
  };
  walk(card);
  return found;
}

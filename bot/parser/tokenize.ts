/**
 * Splits command text into tokens. Quotes group words ("Adatum Corporation"; Teams turns straight
 * quotes into curly ones, so both count), `key="value"` stays one pair, and `10000 .. 30000` is one range.
 */
export type Token =
  | { kind: 'word'; text: string }
  | { kind: 'quoted'; text: string }
  | { kind: 'pair'; key: string; value: string }
  | { kind: 'range'; from: string; to: string };

export type TokenizeResult = { ok: true; tokens: Token[] } | { ok: false; message: string };

const OPEN_QUOTES = '"“”„';
const closeFor = (open: string): string => (open === '"' ? '"' : '”“');

/** Reads a quoted text starting at `start` (on the opening quote); returns its text and where it ends. */
function readQuoted(text: string, start: number): { value: string; end: number } | undefined {
  const close = closeFor(text[start] ?? '"');
  for (let i = start + 1; i < text.length; i++) {
    if (close.includes(text[i] ?? '')) return { value: text.slice(start + 1, i), end: i + 1 };
  }
  return undefined;
}

function readBare(text: string, start: number): { value: string; end: number } {
  let i = start;
  while (i < text.length && !/\s/.test(text[i] ?? '') && !OPEN_QUOTES.includes(text[i] ?? '')) i++;
  return { value: text.slice(start, i), end: i };
}

const unclosed = (text: string, at: number) =>
  ({
    ok: false,
    message: `A quote is not closed: ${text.slice(at, at + 40)}… — close it with another ".`,
  }) as const;

export function tokenize(text: string): TokenizeResult {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (OPEN_QUOTES.includes(ch)) {
      const quoted = readQuoted(text, i);
      if (!quoted) return unclosed(text, i);
      tokens.push({ kind: 'quoted', text: quoted.value.trim() });
      i = quoted.end;
      continue;
    }
    const bare = readBare(text, i);
    i = bare.end;
    const eq = bare.value.indexOf('=');
    if (eq > 0) {
      const key = bare.value.slice(0, eq);
      let value = bare.value.slice(eq + 1);
      if (value === '' && OPEN_QUOTES.includes(text[i] ?? '')) {
        const quoted = readQuoted(text, i);
        if (!quoted) return unclosed(text, i);
        value = quoted.value;
        i = quoted.end;
      }
      tokens.push({ kind: 'pair', key, value });
      continue;
    }
    tokens.push({ kind: 'word', text: bare.value });
  }
  return { ok: true, tokens: joinRanges(tokens) };
}

/** `a..b`, `a.. b`, `a ..b` and `a .. b` all become one range token. */
function joinRanges(tokens: Token[]): Token[] {
  const merged: Token[] = [];
  for (const t of tokens) {
    const prev = merged[merged.length - 1];
    if (t.kind === 'word' && prev?.kind === 'word' && (prev.text.endsWith('..') || t.text.startsWith('..'))) {
      prev.text += t.text;
      continue;
    }
    merged.push({ ...t });
  }
  return merged.map((t) => {
    const m = t.kind === 'word' ? /^([^.].*?)\.\.([^.].*)$/.exec(t.text) : null;
    return m ? { kind: 'range', from: m[1] ?? '', to: m[2] ?? '' } : t;
  });
}

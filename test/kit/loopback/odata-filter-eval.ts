/**
 * The $filter subset the fake BC and Dataverse servers understand, parsed independently of the
 * connectors' own builder: comparisons (eq ne gt ge lt le), and/or/not, parentheses, contains() and
 * startswith(); literals 'text' (with '' escapes), null, true/false, numbers, GUIDs, ISO date-times.
 * String comparison is case-insensitive, as on both real services. Unknown syntax throws (→ 400).
 */
type Row = Record<string, unknown>;
type Predicate = (row: Row) => boolean;
type Literal = string | number | boolean | null | { date: number } | { guid: string };

const TOKEN = /\s*('(?:[^']|'')*'|\(|\)|,|[^\s(),']+)/y;

/** `guidColumn` tells which properties are Edm.Guid: comparing one with a quoted text fails, as on Dataverse. */
export function parseFilter(text: string, guidColumn: (field: string) => boolean = () => false): Predicate {
  const tokens: string[] = [];
  let end = 0;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    tokens.push(m[1] as string);
    end = TOKEN.lastIndex;
  }
  if (text.slice(end).trim() !== '') throw new Error(`cannot read $filter from "${text.slice(end)}"`);
  let at = 0;
  const peek = () => tokens[at];
  const next = () => {
    const token = tokens[at++];
    if (token === undefined) throw new Error(`unexpected end of $filter: ${text}`);
    return token;
  };
  const expect = (token: string) => {
    if (next() !== token) throw new Error(`expected "${token}" in $filter: ${text}`);
  };

  function or(): Predicate {
    const parts = [and()];
    while (peek() === 'or') {
      next();
      parts.push(and());
    }
    return (row) => parts.some((p) => p(row));
  }
  function and(): Predicate {
    const parts = [unary()];
    while (peek() === 'and') {
      next();
      parts.push(unary());
    }
    return (row) => parts.every((p) => p(row));
  }
  function unary(): Predicate {
    if (peek() === 'not') {
      next();
      const inner = unary();
      return (row) => !inner(row);
    }
    if (peek() === '(') {
      next();
      const inner = or();
      expect(')');
      return inner;
    }
    const name = next();
    if (name === 'contains' || name === 'startswith') {
      expect('(');
      const field = next();
      expect(',');
      const value = String(literal(next())).toLowerCase();
      expect(')');
      return (row) => {
        const v = row[field];
        if (typeof v !== 'string') return false;
        return name === 'contains' ? v.toLowerCase().includes(value) : v.toLowerCase().startsWith(value);
      };
    }
    const op = next();
    const value = literal(next());
    const isGuidLiteral = value !== null && typeof value === 'object' && 'guid' in value;
    if (guidColumn(name) && typeof value === 'string') {
      throw new Error(
        `A binary operator with incompatible types was detected: ${name} is Edm.Guid, the value Edm.String`,
      );
    }
    if (isGuidLiteral && !guidColumn(name)) {
      throw new Error(
        `A binary operator with incompatible types was detected: ${name} is Edm.String, the value Edm.Guid`,
      );
    }
    return (row) => compare(row[name], op, value);
  }

  const predicate = or();
  if (at !== tokens.length) throw new Error(`unexpected "${tokens[at]}" in $filter: ${text}`);
  return predicate;
}

function literal(token: string): Literal {
  if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
  if (token === 'null') return null;
  if (token === 'true' || token === 'false') return token === 'true';
  if (/^-?\d+(\.\d+)?$/.test(token)) return Number(token);
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(token))
    return { guid: token.toLowerCase() };
  if (/^\d{4}-\d{2}-\d{2}T/.test(token) && !Number.isNaN(Date.parse(token)))
    return { date: Date.parse(token) };
  throw new Error(`unsupported literal ${token}`);
}

function compare(actual: unknown, op: string, expected: Literal): boolean {
  let a: unknown = actual ?? null;
  let b: unknown = expected;
  if (b !== null && typeof b === 'object' && 'guid' in b) b = b.guid;
  if (b !== null && typeof b === 'object' && 'date' in b) {
    b = b.date;
    a = typeof a === 'string' ? Date.parse(a) : a;
  }
  if (typeof a === 'string') a = a.toLowerCase();
  if (typeof b === 'string') b = b.toLowerCase();
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'gt':
      return a !== null && b !== null && (a as number) > (b as number);
    case 'ge':
      return a !== null && b !== null && (a as number) >= (b as number);
    case 'lt':
      return a !== null && b !== null && (a as number) < (b as number);
    case 'le':
      return a !== null && b !== null && (a as number) <= (b as number);
    default:
      throw new Error(`unsupported operator ${op}`);
  }
}

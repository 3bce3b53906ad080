/**
 * Teams renders Markdown in Adaptive Card TextBlocks and in bot messages, so text we did not write (a
 * user's words echoed back, a record name from BC or Dataverse) could show up as a link whose label
 * hides where it goes: "[Approve here](https://evil.example)" posted by the bot itself. A zero-width
 * space between "]" and "(" keeps the text readable and exactly as typed, but no longer a link.
 */
const LINK_JOIN = /\]\s*\(/g;

export const defuseLinks = (text: string): string => text.replace(LINK_JOIN, ']\u200B(');

/** The same for every string in card data (ids and numbers never contain "](", so they pass unchanged). */
export function defuseLinksDeep<T>(value: T): T {
  if (typeof value === 'string') return defuseLinks(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => defuseLinksDeep(v)) as T;
  const plainObject =
    typeof value === 'object' &&
    value !== null &&
    [Object.prototype, null].includes(Object.getPrototypeOf(value));
  if (plainObject) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, defuseLinksDeep(v)])) as T;
  }
  return value;
}

/** Reading rendered card JSON the way a person reads the card: texts, buttons, inputs. */
export type Node = Record<string, unknown>;

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every object of the card, depth first; action data and fallbacks are not card content. */
export function nodes(value: unknown, out: Node[] = []): Node[] {
  if (Array.isArray(value)) for (const v of value) nodes(v, out);
  else if (isNode(value)) {
    out.push(value);
    for (const [key, v] of Object.entries(value)) if (key !== 'data' && key !== 'fallback') nodes(v, out);
  }
  return out;
}

export const ofType = (card: unknown, type: string): Node[] => nodes(card).filter((n) => n['type'] === type);
export const texts = (card: unknown): string[] => ofType(card, 'TextBlock').map((t) => String(t['text']));
export const allText = (card: unknown): string =>
  [
    ...texts(card),
    ...ofType(card, 'FactSet').flatMap((f) =>
      (f['facts'] as Node[]).map((x) => `${x['title']}: ${x['value']}`),
    ),
  ].join('\n');
export const buttons = (card: unknown): Node[] =>
  nodes(card).filter((n) => String(n['type']).startsWith('Action.'));
export const buttonTitles = (card: unknown): string[] => buttons(card).map((b) => String(b['title']));
export const button = (card: unknown, title: string): Node => {
  const found = buttons(card).find((b) => b['title'] === title);
  if (!found) throw new Error(`No button "${title}" among ${buttonTitles(card).join(', ')}`);
  return found;
};
export const inputs = (card: unknown): Node[] =>
  nodes(card).filter((n) => String(n['type']).startsWith('Input.'));

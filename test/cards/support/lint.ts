import { nodes, type Node } from './walk.js';

/**
 * What the adaptivecards parser silently drops instead of reporting: a TextBlock whose text is a number
 * (a whole-string `${count}` keeps its type), an empty fact, an input preset to a value it cannot take.
 */
export function lintCard(card: unknown): string[] {
  const problems: string[] = [];
  for (const n of nodes(card)) {
    const type = n['type'];
    if (type === 'TextBlock' && (typeof n['text'] !== 'string' || n['text'] === ''))
      problems.push(`TextBlock text ${JSON.stringify(n['text'])}`);
    if (type === 'FactSet') {
      for (const f of n['facts'] as Node[]) {
        if (typeof f['title'] !== 'string' || typeof f['value'] !== 'string' || f['value'] === '')
          problems.push(`Fact ${JSON.stringify(f)}`);
      }
    }
    if (type === 'Input.Toggle' && n['value'] !== n['valueOn'] && n['value'] !== n['valueOff'])
      problems.push(`Toggle ${String(n['id'])} value ${JSON.stringify(n['value'])}`);
    if (type === 'Input.ChoiceSet') {
      const values = (n['choices'] as Node[]).map((c) => c['value']);
      if (!values.includes(n['value']))
        problems.push(`ChoiceSet ${String(n['id'])} value ${JSON.stringify(n['value'])}`);
    }
    if (type === 'Input.Number' && typeof n['value'] !== 'number') problems.push(`Number ${String(n['id'])}`);
    if (String(type).startsWith('Action.') && (typeof n['title'] !== 'string' || n['title'] === ''))
      problems.push(`Action without title ${JSON.stringify(n['verb'])}`);
  }
  return problems;
}

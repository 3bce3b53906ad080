const ENTITIES: Record<string, string> = {
  nbsp: ' ',
  amp: '&',
  quot: '"',
  apos: "'",
  lt: '<',
  gt: '>',
  '#39': "'",
};

/**
 * Teams sends "<at>Coupling Assistant</at> show customer 10000", sometimes wrapped in HTML; the command
 * is what remains once mentions, tags and entities are gone. (The adapter's removeRecipientMention
 * handles the bot's own mention from activity.entities; this catches the rest.)
 */
export function stripMentions(text: string): string {
  return text
    .replace(/<at>[\s\S]*?<\/at>/gi, ' ')
    .replace(/<[^>]{1,200}>/g, ' ')
    .replace(/&(nbsp|amp|quot|apos|lt|gt|#39);/g, (_, name: string) => ENTITIES[name] ?? ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

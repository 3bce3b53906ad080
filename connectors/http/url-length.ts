/**
 * The longest URL the connectors send. Dataverse documents 32 KB for the URL of a GET; Business Central
 * answers behind HTTP.sys, whose default limit for the request line is 16 KB. 15,000 characters stay
 * under both with room for the method and protocol. Reads by id pack as many ids as fit.
 */
export const MAX_URL_LENGTH = 15_000;

const JOIN = ' or ';
/** Query values are percent-encoded (withQuery): the length that counts is the encoded one. */
const encodedLength = (text: string): number => encodeURIComponent(text).length;

/**
 * `ids` as `$filter` disjunctions (`<clause> or <clause> …`), each as long as a URL of `baseLength`
 * characters plus the encoded filter allows. `baseLength` is the URL with every other query option
 * and an empty `$filter=`.
 */
export function idFilters(
  ids: readonly string[],
  clause: (id: string) => string,
  baseLength: number,
  max = MAX_URL_LENGTH,
): string[] {
  const filters: string[] = [];
  let part: string[] = [];
  let length = baseLength;
  const joinLength = encodedLength(JOIN);
  for (const id of ids) {
    const text = clause(id);
    const added = encodedLength(text) + (part.length > 0 ? joinLength : 0);
    if (part.length > 0 && length + added > max) {
      filters.push(part.join(JOIN));
      part = [];
      length = baseLength;
    }
    length += part.length > 0 ? added : encodedLength(text);
    part.push(text);
  }
  if (part.length > 0) filters.push(part.join(JOIN));
  return filters;
}

/** How many GUID clauses one request carries (the read-cost estimate for choosing paged vs by-id reads). */
export function idsPerRequest(
  clause: (id: string) => string,
  baseLength: number,
  max = MAX_URL_LENGTH,
): number {
  const sample = clause('00000000-0000-0000-0000-000000000000');
  const per = encodedLength(sample) + encodedLength(JOIN);
  return Math.max(1, Math.floor((max - baseLength + encodedLength(JOIN)) / per));
}

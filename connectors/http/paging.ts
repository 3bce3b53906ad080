import { z } from 'zod';
import { ConnectorError } from '../../core/ports/errors.js';
import type { HttpClient } from './http-client.js';
import { failure, readJson } from './odata.js';

/**
 * Server-driven paging, the one way every read of a collection is done. Both APIs may cut any answer
 * into pages of a size they choose (a `$top` or a `Prefer: odata.maxpagesize` is a maximum, not a
 * promise) and say so with `@odata.nextLink`; an answer is complete only when a page comes without one.
 * Reading stops with an error — never with a partial answer taken for the whole — when the server keeps
 * sending links past `maxPages`, or links back to a page already read. Each link goes through the client,
 * which refuses one that leaves the configured host.
 */

const Page = z.object({ value: z.array(z.unknown()), '@odata.nextLink': z.string().optional() });

/** Whole-table reads: 100,000 pages is 100 million rows at BC's 1,000 a page — far past any real table. */
export const MAX_LIST_PAGES = 100_000;

export interface PagedRead {
  http: HttpClient;
  url: string;
  headers?: Record<string, string>;
  /** What is read, for errors: "the customer list", "3 customer records". */
  what: string;
  /** At most this many pages are followed; one more link is an error. */
  maxPages: number;
}

/** Every page of the answer, in order; the last one is the page that came without a nextLink. */
export async function* readPages(read: PagedRead): AsyncIterable<unknown[]> {
  const system = read.http.system;
  const seen = new Set<string>();
  let url: string | undefined = read.url;
  for (let n = 1; url !== undefined; n += 1) {
    if (n > read.maxPages)
      throw new ConnectorError(
        system,
        `${system} kept sending more pages of ${read.what} (more than ${read.maxPages}); reading stopped and nothing was concluded from the part read.`,
      );
    seen.add(url);
    const response = await read.http.send({ method: 'GET', url, headers: read.headers });
    if (response.status !== 200) throw failure(system, response, read.what);
    const page = readJson(system, response, Page, `a page of ${read.what}`);
    yield page.value;
    url = page['@odata.nextLink'];
    if (url !== undefined && seen.has(url))
      throw new ConnectorError(
        system,
        `${system} sent a link back to a page of ${read.what} already read; reading stopped and nothing was concluded from the part read.`,
      );
  }
}

/**
 * A query's complete answer: every page, or the first `top` items when a limit is given (the rest is not
 * fetched). Pages are bounded by `top` (each page brings at least one item) or by `maxPages`.
 */
export async function readAll(read: Omit<PagedRead, 'maxPages'> & { top?: number; maxPages?: number }) {
  const maxPages = read.maxPages ?? (read.top !== undefined ? read.top + 1 : MAX_LIST_PAGES);
  const items: unknown[] = [];
  for await (const page of readPages({ ...read, maxPages })) {
    items.push(...page);
    if (read.top !== undefined && items.length >= read.top) return items.slice(0, read.top);
  }
  return items;
}

import type { Attachment } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsvAttachment, TEAMS_FILE_DOWNLOAD } from '../../../bot/attachments/csv-attachment.js';
import {
  downloadBytes,
  hostAllowed,
  INLINE_ATTACHMENT_HOSTS,
  TEAMS_FILE_HOSTS,
  type DownloadLimits,
} from '../../../bot/attachments/download.js';
import { startFileServer } from './support/file-server.js';

const LIMITS: DownloadLimits = { maxBytes: 1024 * 1024, timeoutMs: 2_000, allowLoopbackHttp: true };
let files: Awaited<ReturnType<typeof startFileServer>>;
beforeAll(async () => {
  files = await startFileServer({
    '/a.csv': { body: 'name\nRelecloud\n' },
    '/chunked.csv': { body: 'name\nChunked\n', contentLength: false },
    '/endless.csv': { stream: 50 * 1024 * 1024 },
    '/declared-big.csv': { body: Buffer.alloc(LIMITS.maxBytes + 1, 'a') },
    '/to-a.csv': { redirect: '/a.csv' },
    '/to-plain-http.csv': { redirect: 'http://files.example.com/a.csv' },
    '/loop.csv': { redirect: '/loop.csv' },
    '/hang.csv': { hang: true },
  });
});
afterAll(() => files.close());

const refusal = async (work: Promise<unknown>): Promise<string> => {
  try {
    await work;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('downloading an attachment', () => {
  it('reads a file with or without Content-Length, following a redirect on the same rules', async () => {
    expect((await downloadBytes(files.url('/a.csv'), LIMITS)).toString()).toBe('name\nRelecloud\n');
    expect((await downloadBytes(files.url('/chunked.csv'), LIMITS)).toString()).toBe('name\nChunked\n');
    expect((await downloadBytes(files.url('/to-a.csv'), LIMITS)).toString()).toBe('name\nRelecloud\n');
  });

  it.each([
    ['declares more than the cap', '/declared-big.csv', LIMITS, /larger than 1\.0 MB/],
    ['streams past the cap without declaring it', '/endless.csv', LIMITS, /larger than 1\.0 MB/],
    [
      'redirects to plain http elsewhere',
      '/to-plain-http.csv',
      LIMITS,
      /only download attachments over https/,
    ],
    ['redirects forever', '/loop.csv', LIMITS, /redirects too often/],
    [
      'never answers',
      '/hang.csv',
      { ...LIMITS, timeoutMs: 300 },
      /Downloading the file took longer than 1 s; try again\./,
    ],
    [
      'is on this machine where that is not allowed',
      '/a.csv',
      { ...LIMITS, allowLoopbackHttp: false },
      /over https/,
    ],
  ])('refuses a link that %s, without echoing the link', async (_what, path, limits, message) => {
    const text = await refusal(downloadBytes(files.url(path), limits));
    expect(text).toMatch(message);
    expect(text).toMatch(/Nothing was imported\.$/);
    expect(text).not.toContain('127.0.0.1');
  });

  it.each([
    ['contoso.sharepoint.com', TEAMS_FILE_HOSTS, true],
    ['contoso-my.sharepoint.com', TEAMS_FILE_HOSTS, true],
    ['contoso.sharepoint-df.com', TEAMS_FILE_HOSTS, true],
    ['sharepoint.com', TEAMS_FILE_HOSTS, false],
    ['sharepoint.com.evil.example', TEAMS_FILE_HOSTS, false],
    ['evilsharepoint.com', TEAMS_FILE_HOSTS, false],
    ['smba.trafficmanager.net', TEAMS_FILE_HOSTS, false],
    ['smba.trafficmanager.net', INLINE_ATTACHMENT_HOSTS, true],
    ['evil.smba.trafficmanager.net', INLINE_ATTACHMENT_HOSTS, false],
    ['api.botframework.com', INLINE_ATTACHMENT_HOSTS, true],
    ['us-api.asm.skype.com', INLINE_ATTACHMENT_HOSTS, true],
    ['contoso.sharepoint.com', INLINE_ATTACHMENT_HOSTS, false],
  ])('%s is a host Teams uses for that kind of attachment: %s', (host, hosts, allowed) => {
    expect(hostAllowed(host, hosts)).toBe(allowed);
  });

  it('refuses a link elsewhere before any request, for either kind of attachment', async () => {
    for (const hosts of [TEAMS_FILE_HOSTS, INLINE_ATTACHMENT_HOSTS]) {
      expect(await refusal(downloadBytes('https://files.example.com/a.csv', LIMITS, hosts))).toMatch(
        /from where Teams stores them/,
      );
    }
  });

  it.each([
    ['ftp://files.example.com/a.csv', /only download attachments over https/],
    ['not a url', /not a valid URL/],
    ['http://localhost.evil.example/a.csv', /only download attachments over https/],
  ])('refuses %s before any request', async (url, message) => {
    expect(await refusal(downloadBytes(url, LIMITS))).toMatch(message);
  });
});

describe('finding the CSV among the attachments', () => {
  const teams = (name: string, fileType: string): Attachment => ({
    contentType: TEAMS_FILE_DOWNLOAD,
    name,
    content: { downloadUrl: files.url('/a.csv'), fileType },
  });

  /** Attachments are built inside the test: the file server's address is known only then. */
  it.each<[string, () => Attachment[], string]>([
    [
      'a Teams CSV file next to the message html',
      () => [{ contentType: 'text/html', content: '<p/>' }, teams('a.csv', 'csv')],
      'name\nRelecloud\n',
    ],
    ['inline text', () => [{ contentType: 'text/csv', content: 'name\nX\n' }], 'name\nX\n'],
    [
      'a percent-encoded data: URL',
      () => [{ contentType: 'text/csv', contentUrl: 'data:text/csv,name%0AY%0A' }],
      'name\nY\n',
    ],
    [
      'a .csv sent as text/plain',
      () => [{ contentType: 'text/plain', name: 'b.CSV', content: 'name\nZ\n' }],
      'name\nZ\n',
    ],
    [
      'a link',
      () => [{ contentType: 'text/csv', name: 'c.csv', contentUrl: files.url('/chunked.csv') }],
      'name\nChunked\n',
    ],
  ])('reads %s', async (_what, attachments, text) => {
    expect((await readCsvAttachment(attachments(), LIMITS)).text).toBe(text);
  });

  it('refuses a data: URL over the cap before decoding it', async () => {
    const big = `data:text/csv;base64,${'A'.repeat(2 * 1024 * 1024)}`;
    expect(await refusal(readCsvAttachment([{ contentType: 'text/csv', contentUrl: big }], LIMITS))).toMatch(
      /larger than 1\.0 MB/,
    );
  });
});

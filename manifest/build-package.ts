import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { AppManifestUtils } from '@microsoft/app-manifest';
import JSZip from 'jszip';
import { z } from 'zod';
import { checkIcons } from './check-icons.js';
import { drawColorIcon, drawOutlineIcon } from './icons.js';

const require = createRequire(import.meta.url);
const TEMPLATE_PATH = new URL('./manifest.template.json', import.meta.url);
/** The official v1.24 schema as shipped by @microsoft/app-manifest: validation needs no network. */
const SCHEMA_PATH =
  require.resolve('@microsoft/app-manifest/build/json-schemas/teams/v1.24/MicrosoftTeams.schema.json');

/** Limits Teams enforces on bot command lists beyond what the JSON schema says. */
const TEAMS_LIMITS = { commands: 10, title: 32, description: 128 };

const guid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'expected a GUID');
export const packageSettingsSchema = z.object({
  BOT_ID: guid,
  TEAMS_APP_ID: guid.optional(),
  APP_VERSION: z
    .string()
    .regex(/^\d+\.\d+\.\d+$/, 'expected a version like 1.0.0')
    .optional(),
  BOT_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'expected a host name such as coupling.contoso.com')
    .default('coupling-assistant.example.com'),
});
export type PackageSettings = z.infer<typeof packageSettingsSchema>;

export class PackageError extends Error {
  override readonly name = 'PackageError';
}

export function parsePackageSettings(env: Record<string, string | undefined>): PackageSettings {
  const parsed = packageSettingsSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PackageError(`${issue?.path.join('.') ?? 'settings'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

export function fillManifest(settings: PackageSettings, defaultVersion: string): Record<string, unknown> {
  const values: Record<string, string> = {
    APP_ID: settings.TEAMS_APP_ID ?? settings.BOT_ID,
    BOT_ID: settings.BOT_ID,
    APP_VERSION: settings.APP_VERSION ?? defaultVersion,
    BOT_DOMAIN: settings.BOT_DOMAIN,
  };
  const text = readFileSync(TEMPLATE_PATH, 'utf8').replace(/\{\{(\w+)\}\}/g, (whole, key: string) => {
    const value = values[key];
    if (value === undefined) throw new PackageError(`manifest template has an unknown placeholder ${whole}`);
    return value;
  });
  return JSON.parse(text) as Record<string, unknown>;
}

/** Schema errors (official schema, offline) plus Teams' command-list limits. Empty when valid. */
export async function validateManifest(manifest: Record<string, unknown>): Promise<string[]> {
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Parameters<
    typeof AppManifestUtils.validateAgainstSchema
  >[1];
  const errors = await AppManifestUtils.validateAgainstSchema(manifest as never, schema);
  return [...errors, ...commandListProblems(manifest)];
}

function commandListProblems(manifest: Record<string, unknown>): string[] {
  const bots = Array.isArray(manifest.bots) ? (manifest.bots as Array<Record<string, unknown>>) : [];
  const problems: string[] = [];
  for (const bot of bots) {
    const lists = Array.isArray(bot.commandLists)
      ? (bot.commandLists as Array<{ commands?: unknown[] }>)
      : [];
    for (const list of lists) {
      const commands = (list.commands ?? []) as Array<{ title?: string; description?: string }>;
      if (commands.length > TEAMS_LIMITS.commands) {
        problems.push(
          `a command list has ${commands.length} commands; Teams shows at most ${TEAMS_LIMITS.commands}`,
        );
      }
      for (const c of commands) {
        if ((c.title ?? '').length > TEAMS_LIMITS.title) {
          problems.push(`command title "${c.title}" is longer than ${TEAMS_LIMITS.title} characters`);
        }
        if ((c.description ?? '').length > TEAMS_LIMITS.description) {
          problems.push(`description of "${c.title}" is longer than ${TEAMS_LIMITS.description} characters`);
        }
      }
    }
  }
  return problems;
}

/** Builds appPackage.zip (manifest.json, color.png, outline.png at its root); throws on any problem. */
export async function buildPackage(settings: PackageSettings, defaultVersion: string): Promise<Buffer> {
  const manifest = fillManifest(settings, defaultVersion);
  const color = drawColorIcon();
  const outline = drawOutlineIcon();
  const problems = [...(await validateManifest(manifest)), ...checkIcons(color, outline)];
  if (problems.length > 0) {
    throw new PackageError(`The app package is not valid:\n- ${problems.join('\n- ')}`);
  }
  const zip = new JSZip();
  zip.file('manifest.json', JSON.stringify(manifest, null, 2));
  zip.file('color.png', color);
  zip.file('outline.png', outline);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

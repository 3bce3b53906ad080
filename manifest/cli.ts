import { readFileSync, writeFileSync } from 'node:fs';
import { parseCli } from '../scripts/cli-args.js';
import { buildPackage, PackageError, parsePackageSettings } from './build-package.js';

const USAGE = `usage: npm run package -- [<output file>]

Builds the Teams app package (default appPackage.zip) from manifest/manifest.template.json,
validated offline against the manifest schema.

environment:
  BOT_ID        the bot's Microsoft App ID (required)
  BOT_DOMAIN    the bot's host name (e.g. bot.contoso.com)
  APP_VERSION   the package version (raise it for each upload; default: package.json's version)
  TEAMS_APP_ID  the Teams app id (default: BOT_ID)`;

/** `npm run package`: BOT_ID (and optionally TEAMS_APP_ID, APP_VERSION, BOT_DOMAIN) from the environment. */
async function main(): Promise<void> {
  const { positionals } = parseCli({ usage: USAGE, options: {}, maxPositionals: 1 });
  const out = positionals[0] ?? 'appPackage.zip';
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  const settings = parsePackageSettings(process.env);
  if (!process.env.BOT_DOMAIN) {
    console.warn(
      `BOT_DOMAIN is not set: using the placeholder ${settings.BOT_DOMAIN}; set it to your bot's host.`,
    );
  }
  writeFileSync(out, await buildPackage(settings, pkg.version));
  console.log(
    `Wrote ${out} (bot ${settings.BOT_ID}); upload it in Teams: Apps → Manage your apps → Upload an app.`,
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof PackageError ? e.message : e);
  process.exit(1);
});

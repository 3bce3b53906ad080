import { readFileSync, writeFileSync } from 'node:fs';
import { buildPackage, PackageError, parsePackageSettings } from './build-package.js';

/** `npm run package`: BOT_ID (and optionally TEAMS_APP_ID, APP_VERSION, BOT_DOMAIN) from the environment. */
async function main(): Promise<void> {
  const out = process.argv[2] ?? 'appPackage.zip';
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

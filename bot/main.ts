// First, before restify loads: see why in the module.
import './quiet-deprecations.js';
import { parseCli } from '../scripts/cli-args.js';
import { run } from './composition/run.js';

const USAGE = `usage: npm start            (development: TypeScript through tsx, reads .env when present)
       node dist/bot/main.js (production, after npm run build)

Starts the bot: POST /api/messages, GET /healthz on PORT (default 3978). Every setting is an
environment variable; .env.example lists them all with a one-line comment each.`;

/** `npm start`: the process entry point. Everything is wired in the composition root, bot/composition/. */
parseCli({ usage: USAGE, options: {} });
await run();

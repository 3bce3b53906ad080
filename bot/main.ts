import { run } from './composition/run.js';

/** `npm start`: the process entry point. Everything is wired in the composition root, bot/composition/. */
await run();

// The worker's entry point: plain JavaScript, so that it loads however the parent was started (tsx,
// node --import tsx, vitest), then hands over to the TypeScript worker through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('./thread-worker.ts');

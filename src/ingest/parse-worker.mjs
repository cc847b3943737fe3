// Worker entry: plain JavaScript so it starts without a TypeScript loader, then loads the
// TypeScript worker body through tsx (which must be registered inside each worker thread).
import { register } from 'tsx/esm/api';

register();
await import('./parse-worker.ts');

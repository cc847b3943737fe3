#!/usr/bin/env node
// Entry point of the `argmap` command. The project runs its TypeScript through tsx (no build step),
// so a fresh clone works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

#!/usr/bin/env node
// Entry point of the `argmap` command. The project runs its TypeScript through tsx (no build step),
// so a fresh clone works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
// `argmap … | head` closes stdout early: that is the reader saying "enough", not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

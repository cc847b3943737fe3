// Regenerates web/model/worker.gen.txt, the bundled worker that the model page starts from a Blob
// URL (pages opened from file:// cannot load workers from files, and bundleWeb builds one entry).
// Run: node web/model/build-worker.mjs   (test/model/worker-source.test.ts fails if it is stale)
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The worker bundle as a string: a minified IIFE with the whole model. */
export async function buildWorkerSource() {
  const result = await build({
    entryPoints: [here + 'sim-worker.ts'],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome110', 'firefox110', 'safari16'],
    minify: true,
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
    charset: 'utf8',
  });
  const out = result.outputFiles[0];
  if (!out) throw new Error('esbuild produced no output for the model worker');
  return out.text;
}

export const WORKER_FILE = here + 'worker.gen.txt';

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const src = await buildWorkerSource();
  writeFileSync(WORKER_FILE, src);
  console.log(`wrote ${WORKER_FILE} (${src.length} bytes)`);
}

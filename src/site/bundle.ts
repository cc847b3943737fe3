/**
 * Bundles browser code under web/ into one classic (IIFE) script. Pages must work from file://,
 * where module scripts, fetch and URL workers are blocked, so every script is a self-contained IIFE.
 */
import { build, type Plugin } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';

/** The project root (two levels above this file). */
export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface BundleResult {
  js: string;
  css: string;
}

/**
 * Bundle `entry` (a path relative to the project root, e.g. `web/search.ts`) for the browser.
 * CSS imported by the entry comes back separately.
 */
export async function bundleWeb(entry: string, opts: { minify?: boolean } = {}): Promise<BundleResult> {
  return bundleFile(join(PROJECT_ROOT, entry), opts.minify ?? true);
}

/**
 * `import text from './x.ts?script'` gives the script x.ts bundled on its own (same options) as a
 * string: the model page starts its Web Worker from that text through a Blob URL, because a page
 * opened from file:// cannot start a worker from a file. Built with the page, so it is never stale.
 */
function scriptTextPlugin(minify: boolean): Plugin {
  return {
    name: 'script-text',
    setup(b) {
      b.onResolve({ filter: /\?script$/ }, (args) => ({
        path: resolve(args.resolveDir, args.path.slice(0, -'?script'.length)),
        namespace: 'script-text',
      }));
      b.onLoad({ filter: /.*/, namespace: 'script-text' }, async (args) => ({
        contents: (await bundleFile(args.path, minify)).js,
        loader: 'text',
      }));
    },
  };
}

async function bundleFile(file: string, minify: boolean): Promise<BundleResult> {
  const result = await build({
    entryPoints: [file],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome110', 'firefox110', 'safari16'],
    minify,
    write: false,
    outdir: 'out',
    legalComments: 'none',
    logLevel: 'silent',
    charset: 'utf8',
    plugins: [scriptTextPlugin(minify)],
  });
  let js = '';
  let css = '';
  for (const f of result.outputFiles) {
    if (f.path.endsWith('.css')) css += f.text;
    else js += f.text;
  }
  return { js, css };
}

/**
 * Bundles browser code under web/ into one classic (IIFE) script. Pages must work from file://,
 * where module scripts, fetch and URL workers are blocked, so every script is a self-contained IIFE.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

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
  const result = await build({
    entryPoints: [join(PROJECT_ROOT, entry)],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome110', 'firefox110', 'safari16'],
    minify: opts.minify ?? true,
    write: false,
    outdir: 'out',
    legalComments: 'none',
    logLevel: 'silent',
    charset: 'utf8',
  });
  let js = '';
  let css = '';
  for (const f of result.outputFiles) {
    if (f.path.endsWith('.css')) css += f.text;
    else js += f.text;
  }
  return { js, css };
}

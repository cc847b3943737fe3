/**
 * What the static site's search data costs, built alone: `node --import tsx bench/site-index.ts DB`.
 *
 * Runs the site build (src/site/build.ts, decision records included) only as far as the search data
 * (the first pages it yields, before any thread page), and reports the time, the peak RSS of the
 * process and, per kind of file (term shards, position files, document chunks, manifest), files,
 * bytes and gzip bytes. The same script run from another checkout measures that checkout's
 * index, so two versions can be compared on one archive without writing two whole sites.
 */
import { addSearchFile, searchFileKind, type KindSize } from './search-sizes.ts';
import { openDb } from '../src/store/db.ts';
import { generateSite } from '../src/site/build.ts';

const file = process.argv[2];
if (!file) throw new Error('usage: node --import tsx bench/site-index.ts DB');
const db = openDb(file, { readonly: true });
const t0 = performance.now();
let searchStart = 0;
const kinds = new Map<string, KindSize>();
let largest = { path: '', gz: 0 };
for await (const page of generateSite(db, { minify: false })) {
  if (!page.path.startsWith('search/')) continue;
  if (!searchStart) searchStart = performance.now();
  const name = page.path.slice('search/'.length);
  const gz = addSearchFile(kinds, name, Buffer.from(page.content));
  if (searchFileKind(name) !== 'd' && gz > largest.gz) largest = { path: page.path, gz };
  if (name === 'manifest.js') break;
}
const seconds = (performance.now() - searchStart) / 1000;
db.close();
const out = {
  db: file,
  searchDataSeconds: Number(seconds.toFixed(1)),
  totalSeconds: Number(((performance.now() - t0) / 1000).toFixed(1)),
  peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  largestIndexFile: largest,
  kinds: Object.fromEntries(kinds),
};
process.stdout.write(JSON.stringify(out, null, 2) + '\n');

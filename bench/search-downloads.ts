/**
 * What one query of the static site downloads: `node --import tsx bench/search-downloads.ts DB`.
 *
 * Builds the site's search data in memory from DB (src/site/build.ts, only as far as the search
 * files), then runs the judged queries (data/eval/queries.tsv) and a few phrase and common-word
 * queries through the browser's SearchEngine, counting the gzip bytes of every file each query
 * loads: the manifest, its term shards, position files for phrases, and the document chunks of
 * its first page of results. Prints the median and the largest (the budget is 3 MB).
 */
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { openDb } from '../src/store/db.ts';
import { generateSite } from '../src/site/build.ts';
import { SearchEngine } from '../src/search/engine.ts';
import { parseQuery } from '../src/search/query.ts';
import type { Manifest } from '../src/search/index-build.ts';

/** Results on the search page's first page. */
const PAGE = 20;
const EXTRA = ['"proactive reclaim"', '"memory.high"', '"the memory controller"', 'reclaim', 'memory cgroup'];

const file = process.argv[2];
if (!file) throw new Error('usage: node --import tsx bench/search-downloads.ts DB');
const db = openDb(file, { readonly: true });
const files = new Map<string, string>();
const gz = new Map<string, number>();
for await (const page of generateSite(db, { minify: false })) {
  if (!page.path.startsWith('search/')) continue;
  const name = page.path.slice('search/'.length);
  files.set(name, String(page.content));
  gz.set(name, gzipSync(Buffer.from(String(page.content))).length);
  if (name === 'manifest.js') break;
}
db.close();
const data = <T>(name: string): T => {
  const window: { ARGMAP_DATA?: [string, number, T][] } = {};
  new Function('window', files.get(name)!)(window);
  return window.ARGMAP_DATA![0]![2];
};
const manifest = data<Manifest>('manifest.js');
const queries = readFileSync(new URL('../data/eval/queries.tsv', import.meta.url), 'utf8')
  .split('\n')
  .slice(1)
  .filter(Boolean)
  .map((l) => l.split('\t')[2]!)
  .concat(EXTRA);
const sizes: { q: string; bytes: number }[] = [];
for (const q of queries) {
  const loaded = new Set<string>(['manifest.js']);
  const load = <T>(name: string): Promise<T> => {
    loaded.add(name);
    return Promise.resolve(data<T>(name));
  };
  const engine = new SearchEngine(manifest, {
    shard: (i) => load(manifest.shards[i]!.file),
    chunk: (i) => load(manifest.chunks[i]!),
    positions: (i) => load(manifest.shards[i]!.positions!),
  });
  const r = await engine.search(parseQuery(q));
  await engine.docs(r.hits.slice(0, PAGE).map((h) => h.ref));
  sizes.push({ q, bytes: [...loaded].reduce((a, f) => a + (gz.get(f) ?? 0), 0) });
}
sizes.sort((a, b) => a.bytes - b.bytes);
const kb = (n: number): string => `${(n / 1000).toFixed(0)} KB`;
console.log(
  `${sizes.length} queries; gzip download per query: median ${kb(sizes[sizes.length >> 1]!.bytes)}, ` +
    `largest ${kb(sizes[sizes.length - 1]!.bytes)} (${sizes[sizes.length - 1]!.q})`,
);

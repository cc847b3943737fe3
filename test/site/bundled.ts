/** The bundled data set as an archive, and helpers to read the built site in tests. */
import { resolve } from 'node:path';
import { ingestedDb } from '../helpers/archive.ts';
import type { Db } from '../../src/store/db.ts';
import type { Page } from '../../src/site/page.ts';
import type { Loader } from '../../src/search/engine.ts';
import type { Manifest, PositionTerm, ShardTerm, StoredDoc } from '../../src/search/index-build.ts';

export const DATA = resolve(import.meta.dirname, '..', '..', 'data');
/** The seed message (Shakeel Butt, 2020-09-22) and the thread it belongs to. */
export const SEED = 'CALvZod7K9g9mi599c5+ayLeC4__kckv155QQGVMVy2rXXOY1Rw@mail.gmail.com';
export const SEED_THREAD = '20200909215752.1725525-1-shakeelb@google.com';

/** A fresh archive holding the bundled data (ingest with the post-ingest steps, as the CLI runs it). */
export function bundledDb(): Promise<{ db: Db; file: string; dir: string; cleanup: () => void }> {
  return ingestedDb([DATA]);
}

/** Run a site data script (search/*.js) and return the `[kind, index, data]` items it queued. */
export function runDataScript(js: string): [string, number, unknown][] {
  const window: { ARGMAP_DATA?: [string, number, unknown][] } = {};
  new Function('window', js)(window);
  return window.ARGMAP_DATA ?? [];
}

/** Loaders for the search engine that read the built pages (as the browser's script tags would). */
export function pageLoader(pages: Map<string, Page>): {
  manifest: Manifest;
  loader: Loader;
  loaded: string[];
} {
  const loaded: string[] = [];
  const data = (path: string): unknown => {
    const p = pages.get(path);
    if (!p) throw new Error(`no page ${path}`);
    loaded.push(path);
    return runDataScript(String(p.content))[0]![2];
  };
  const manifest = data('search/manifest.js') as Manifest;
  return {
    manifest,
    loaded,
    loader: {
      shard: (i) => Promise.resolve(data(`search/${manifest.shards[i]!.file}`) as ShardTerm[]),
      chunk: (i) => Promise.resolve(data(`search/${manifest.chunks[i]!}`) as StoredDoc[]),
      positions: (i) => Promise.resolve(data(`search/${manifest.shards[i]!.positions!}`) as PositionTerm[]),
    },
  };
}

/**
 * One search's timings as the site's search page records them in `window.argmapSearchTimings`,
 * and as `npm run bench:site` reads them back from Chromium.
 */
export interface SearchTiming {
  q: string;
  /** When the search started, and when its query was last typed into (performance.now()). */
  startedAt: number;
  typedAt: number | null;
  /** From the start of the search to the first result on screen. */
  firstMs: number;
  /** From the start of the search to the results on screen. */
  ms: number;
  /** Of which: finding and ranking the hits (index shards loaded included). */
  searchMs: number;
  shards: number;
  hits: number;
}

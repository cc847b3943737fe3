/**
 * The shape of the server's search answer (`api/search` of `argmap serve --db`), shared by the
 * server (src/site/serve-db.ts) and the search page that reads it (web/search.ts).
 */
import type { SnippetPart } from './engine.ts';

/** The version of the answer below; the server sends it in {@link SEARCH_HEADER} on every page. */
export const SEARCH_API_VERSION = 'argmap-search/1';
/** The response header by which a page learns that its host answers `api/search`. */
export const SEARCH_HEADER = 'X-Argmap-Search';

/** One message of the answer, as the search page shows it. */
export interface SearchApiHit {
  url: string;
  subject: string;
  author: string;
  date: string;
  thread: string;
  threadUrl: string;
  /** Threads view: matches in the thread. */
  count: number;
  partial: boolean;
  snippet: SnippetPart[];
}

/** The search API's answer: what the search page shows, with snippets made on the server. */
export interface SearchApiResult {
  api: typeof SEARCH_API_VERSION;
  query: string;
  total: number;
  threads: number | null;
  errors: string[];
  records: { title: string; summary: string; status: string; url: string }[];
  hits: SearchApiHit[];
  ms: number;
}

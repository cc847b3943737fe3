/**
 * The shape of the server's search answer (`api/search` of `argmap serve --db`), shared by the
 * server (src/site/serve-db.ts) and the search page that reads it (web/search.ts).
 */

/** The search API's answer: what the search page shows, with snippets made on the server. */
export interface SearchApiResult {
  api: 'argmap-search/1';
  query: string;
  total: number;
  threads: number | null;
  errors: string[];
  records: { title: string; summary: string; status: string; url: string }[];
  hits: {
    url: string;
    subject: string;
    author: string;
    date: string;
    thread: string;
    threadUrl: string;
    /** Threads view: matches in the thread. */
    count: number;
    partial: boolean;
    snippet: { text: string; mark: boolean }[];
  }[];
  ms: number;
}
